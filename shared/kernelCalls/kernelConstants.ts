/**
 * The numbers a kernel call's arguments carry, by name: socket families, types, protocols,
 * shutdown commands, message flags and file flags. All are ABI on x86-64 (uapi headers), so one
 * table serves every release the lab runs; each table cites where it is defined (v6.1).
 */

/** include/linux/socket.h: AF_* (the ones a lab socket can meet). */
export const ADDRESS_FAMILIES: Readonly<Record<number, string>> = {
  0: "AF_UNSPEC",
  1: "AF_UNIX",
  2: "AF_INET",
  10: "AF_INET6",
  16: "AF_NETLINK",
  17: "AF_PACKET",
};

/** include/linux/net.h, enum sock_type (x86: the generic numbering). */
export const SOCKET_TYPES: Readonly<Record<number, string>> = {
  1: "SOCK_STREAM",
  2: "SOCK_DGRAM",
  3: "SOCK_RAW",
  4: "SOCK_RDM",
  5: "SOCK_SEQPACKET",
  6: "SOCK_DCCP",
  10: "SOCK_PACKET",
};

/** include/uapi/linux/net.h, enum socket_state (index = value). */
export const SOCKET_STATES: readonly string[] = [
  "SS_FREE",
  "SS_UNCONNECTED",
  "SS_CONNECTING",
  "SS_CONNECTED",
  "SS_DISCONNECTING",
];

/** include/uapi/linux/in.h: IPPROTO_* (0 is "the family's default", TCP for a stream). */
export const IP_PROTOCOLS: Readonly<Record<number, string>> = {
  0: "IPPROTO_IP",
  6: "IPPROTO_TCP",
  17: "IPPROTO_UDP",
  132: "IPPROTO_SCTP",
  262: "IPPROTO_MPTCP",
};

/** include/linux/net.h, enum sock_shutdown_cmd. */
export const SHUTDOWN_COMMANDS: Readonly<Record<number, string>> = {
  0: "SHUT_RD",
  1: "SHUT_WR",
  2: "SHUT_RDWR",
};

/**
 * include/linux/socket.h: MSG_* (v6.1). MSG_WAITFORONE and MSG_SENDPAGE_NOPOLICY share 0x10000;
 * the one a kernel_sendmsg/kernel_recvmsg caller would mean is named.
 */
export const MSG_FLAGS: readonly (readonly [number, string])[] = [
  [0x1, "MSG_OOB"],
  [0x2, "MSG_PEEK"],
  [0x4, "MSG_DONTROUTE"],
  [0x8, "MSG_CTRUNC"],
  [0x10, "MSG_PROBE"],
  [0x20, "MSG_TRUNC"],
  [0x40, "MSG_DONTWAIT"],
  [0x80, "MSG_EOR"],
  [0x100, "MSG_WAITALL"],
  [0x200, "MSG_FIN"],
  [0x400, "MSG_SYN"],
  [0x800, "MSG_CONFIRM"],
  [0x1000, "MSG_RST"],
  [0x2000, "MSG_ERRQUEUE"],
  [0x4000, "MSG_NOSIGNAL"],
  [0x8000, "MSG_MORE"],
  [0x10000, "MSG_WAITFORONE"],
  [0x40000, "MSG_BATCH"],
  [0x4000000, "MSG_ZEROCOPY"],
  [0x20000000, "MSG_FASTOPEN"],
  [0x40000000, "MSG_CMSG_CLOEXEC"],
];

/**
 * kernel_accept()'s and inet_accept()'s `flags` are a file's flags (the new file's O_NONBLOCK,
 * O_CLOEXEC): include/uapi/asm-generic/fcntl.h, the numbering x86-64 uses.
 */
export const FILE_FLAGS: readonly (readonly [number, string])[] = [
  [0o4000, "O_NONBLOCK"],
  [0o2000000, "O_CLOEXEC"],
];

/** A flags word by name: "0", "MSG_DONTWAIT", "MSG_PEEK|MSG_WAITALL", unknown bits kept as hex. */
export function flagNames(value: number, table: readonly (readonly [number, string])[]): string {
  if (value === 0) return "0";
  const names: string[] = [];
  let rest = value >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) === bit && bit !== 0) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) names.push(`0x${rest.toString(16)}`);
  return names.join("|");
}

/** A value by its name in `table`, or the number itself when it has none. */
export function nameOf(value: number, table: Readonly<Record<number, string>> | readonly string[]): string {
  return (table as Record<number, string>)[value] ?? String(value);
}
