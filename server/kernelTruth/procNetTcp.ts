/**
 * Reads the kernel's own table of TCP sockets: /proc/net/tcp and /proc/net/tcp6, printed by
 * get_tcp4_sock() / get_tcp6_sock() (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c, v6.1) as
 * "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …".
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import type { TcpRow } from "../../shared/protocol/tcpStateMessages.ts";
import { tcpStateOf } from "../../shared/protocol/tcpStates.ts";

export const PROC_NET_TCP = { ipv4: "/proc/net/tcp", ipv6: "/proc/net/tcp6" } as const;

export type ProcNetTcpRead = { rows: TcpRow[] } | { unavailable: string };

/**
 * The kernel prints each 32-bit word of an address with %08X as the CPU holds it: the bytes arrive
 * in network order, so on a little-endian CPU each word's bytes read backwards (127.0.0.1 → 0100007F).
 */
function addressBytes(hex: string, littleEndian: boolean): number[] {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const wordBytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(word + i, word + i + 2), 16));
    bytes.push(...(littleEndian ? wordBytes.reverse() : wordBytes));
  }
  return bytes;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as "::", IPv4-mapped as ::ffff:a.b.c.d. */
export function formatIpv6(bytes: readonly number[]): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return `::ffff:${bytes.slice(12).join(".")}`;
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

function endpoint(
  field: string,
  family: TcpRow["family"],
  littleEndian: boolean,
): TcpRow["local"] | undefined {
  const [hexAddress, hexPort] = field.split(":");
  const width = family === "ipv4" ? 8 : 32;
  if (!hexAddress || !hexPort || hexAddress.length !== width || !/^[0-9A-Fa-f]+$/.test(hexAddress + hexPort))
    return undefined;
  const bytes = addressBytes(hexAddress, littleEndian);
  return {
    address: family === "ipv4" ? bytes.join(".") : formatIpv6(bytes),
    port: Number.parseInt(hexPort, 16),
  };
}

/**
 * Whether the row at text[start, end) has one of `ports` at either end, read straight from the
 * fixed-width fields get_tcp4_sock()/get_tcp6_sock() print after "sl:" (" %08X:%04X %08X:%04X",
 * the addresses 32 hex digits wide for IPv6), without cutting the line out of the text. A
 * classroom's table runs to tens of thousands of rows (TIME_WAIT lingers 60 s), read 20 times a
 * second: most rows get only this look, and no string of their own.
 */
function rowHasPort(
  text: string,
  start: number,
  end: number,
  family: TcpRow["family"],
  ports: ReadonlySet<number>,
): boolean {
  const colon = text.indexOf(":", start);
  if (colon < 0 || colon >= end) return false;
  const width = family === "ipv4" ? 8 : 32;
  const localPort = colon + 2 + width + 1;
  const remotePort = localPort + 4 + 1 + width + 1;
  return remotePort + 4 <= end && (ports.has(hex4(text, localPort)) || ports.has(hex4(text, remotePort)));
}

/** The %04X number at text[at, at + 4); NaN when it is not four hex digits. */
function hex4(text: string, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
    if (digit < 0) return Number.NaN;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Decodes the text of /proc/net/tcp (ipv4) or /proc/net/tcp6 (ipv6); lines it cannot read are
 * skipped. With `ports`, only rows with one of them at either end are decoded.
 */
export function parseProcNetTcp(
  text: string,
  family: TcpRow["family"],
  littleEndian = os.endianness() === "LE",
  ports?: ReadonlySet<number>,
): TcpRow[] {
  const rows: TcpRow[] = [];
  // Line by line over the text (the first line is the header): a row is cut out only when it is wanted.
  for (let start = text.indexOf("\n") + 1; start > 0 && start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    const lineStart = start;
    start = end + 1;
    if (ports && !rowHasPort(text, lineStart, end, family, ports)) continue;
    const fields = text.slice(lineStart, end).trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = endpoint(fields[1] ?? "", family, littleEndian);
    const remote = endpoint(fields[2] ?? "", family, littleEndian);
    const state = tcpStateOf(Number.parseInt(fields[3] ?? "", 16));
    const [tx, rx] = (fields[4] ?? "").split(":").map((q) => Number.parseInt(q, 16));
    const inode = Number(fields[9]);
    if (
      !local ||
      !remote ||
      !state ||
      tx === undefined ||
      rx === undefined ||
      [tx, rx, inode].some(Number.isNaN)
    )
      continue;
    if (ports && !ports.has(local.port) && !ports.has(remote.port)) continue;
    rows.push({ family, local, remote, state, txQueue: tx, rxQueue: rx, inode });
  }
  return rows;
}

/**
 * Both tables at once (only the rows of `ports`, when given). Without /proc/net/tcp there is nothing
 * to show; a missing tcp6 only means IPv6 is off, and the IPv4 rows stand alone.
 */
export async function readProcNetTcp(
  ports?: ReadonlySet<number>,
  paths: { ipv4: string; ipv6: string } = PROC_NET_TCP,
): Promise<ProcNetTcpRead> {
  let v4: string;
  try {
    v4 = await readFile(paths.ipv4, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    return {
      unavailable: `${paths.ipv4} cannot be read here (${code}): this system does not show the kernel's TCP table`,
    };
  }
  const v6 = await readFile(paths.ipv6, "utf8").catch(() => "");
  const littleEndian = os.endianness() === "LE";
  return {
    rows: [
      ...parseProcNetTcp(v4, "ipv4", littleEndian, ports),
      ...parseProcNetTcp(v6, "ipv6", littleEndian, ports),
    ],
  };
}
