/**
 * Who holds a TCP port on this machine, as the kernel says: the LISTEN rows of /proc/net/tcp and
 * /proc/net/tcp6 give the socket's inode (the 10th field get_tcp4_sock() prints, "sl local_address
 * rem_address st … uid timeout inode", net/ipv4/tcp_ipv4.c, v6.1), and a process's open socket is
 * the link /proc/PID/fd/N → "socket:[inode]" (proc(5)). Only processes whose fd folder this server
 * may read are found: as an ordinary user, its own; as root, all.
 */
import { readdir, readFile, readlink } from "node:fs/promises";
import { PROC_NET_TCP } from "./procNetTcp.ts";

/** TCP_LISTEN in the kernel's enum (include/net/tcp_states.h), as the "st" field prints it. */
const LISTEN_STATE = "0A";

export type PortHolder = {
  /** The holding process, when its fd folder could be read. */
  pid?: number;
  /** Its command line (or name), cut to a length a sentence can carry. */
  command?: string;
  /** The holder is this server or a process it started (the lab itself: an occupier, a module, a traced worker). */
  self: boolean;
};

/** The inodes of the sockets listening on `port`, from the text of /proc/net/tcp or tcp6. */
export function listeningInodes(text: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    const inode = fields[9];
    if (!local || !inode || fields[3] !== LISTEN_STATE) continue;
    const hexPort = local.slice(local.lastIndexOf(":") + 1);
    if (Number.parseInt(hexPort, 16) === port && inode !== "0") inodes.push(inode);
  }
  return inodes;
}

/** The parent of `pid` (the 4th field of /proc/PID/stat, after the command in parentheses). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const parent = Number(afterName[1]);
  return Number.isInteger(parent) && parent > 0 ? parent : undefined;
}

/** Whether `pid` is this process or one it started (a few generations: npx → tsx → node). */
async function isOurs(pid: number): Promise<boolean> {
  let current: number | undefined = pid;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    if (current === process.pid) return true;
    current = await parentOf(current);
  }
  return false;
}

async function commandOf(pid: number): Promise<string | undefined> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  const words = cmdline.split("\0").filter(Boolean).join(" ");
  const text = words || (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "")).trim();
  if (!text) return undefined;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The process whose fd folder holds one of `inodes`, among those this server may read. */
async function processHolding(inodes: ReadonlySet<string>): Promise<number | undefined> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const name of pids) {
    const fds = await readdir(`/proc/${name}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${name}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(name);
    }
  }
  return undefined;
}

/**
 * Who listens on `port`: undefined when the kernel's table shows no listener (or cannot be read);
 * a holder without pid when a listener is there but its process is not ours to look into.
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  const tables = await Promise.all(
    Object.values(PROC_NET_TCP).map((path) => readFile(path, "utf8").catch(() => "")),
  );
  const inodes = new Set(tables.flatMap((text) => listeningInodes(text, port)));
  if (inodes.size === 0) return undefined;
  const pid = await processHolding(inodes);
  if (pid === undefined) return { self: false };
  return { pid, command: await commandOf(pid), self: await isOurs(pid) };
}
