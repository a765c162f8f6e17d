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

/**
 * The %0NX number at text[at, at + n); NaN when any of its characters is not a hex digit. The
 * kernel prints every field of a row before the inode at a fixed width (get_tcp4_sock(),
 * get_timewait4_sock(), get_tcp6_sock(), v6.1), so a row is read in place, without cutting it up.
 */
function hexAt(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
    if (digit < 0) return Number.NaN;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Address texts already written, by their hex: a classroom's table repeats 127.0.0.1 tens of
 * thousands of times a read. Bounded, for a machine that talks to many peers.
 */
const ADDRESS_TEXTS_MAX = 4096;

/** The text of the address whose hex (as the kernel prints it) starts at `at`; undefined if not hex. */
function addressAt(text: string, at: number, width: number, littleEndian: boolean): string | undefined {
  if (width === 8) {
    const word = hexAt(text, at, 8);
    if (Number.isNaN(word)) return undefined;
    const key = littleEndian ? word : -1 - word;
    const known = ipv4Texts.get(key);
    if (known !== undefined) return known;
    const bytes = [word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff];
    return remember(ipv4Texts, key, (littleEndian ? bytes.reverse() : bytes).join("."));
  }
  const hex = text.slice(at, at + width);
  const key = `${littleEndian ? "L" : "B"}${hex}`;
  const known = ipv6Texts.get(key);
  if (known !== undefined) return known;
  for (let word = 0; word < width; word += 8) if (Number.isNaN(hexAt(hex, word, 8))) return undefined;
  return remember(ipv6Texts, key, formatIpv6(addressBytes(hex, littleEndian)));
}

const ipv4Texts = new Map<number, string>();
const ipv6Texts = new Map<string, string>();

function remember<K>(texts: Map<K, string>, key: K, text: string): string {
  if (texts.size >= ADDRESS_TEXTS_MAX) texts.clear();
  texts.set(key, text);
  return text;
}

/** The start of the `n`th whitespace-separated token from `at` (0: the first), or -1 past `end`. */
function tokenStart(text: string, at: number, end: number, n: number): number {
  let i = at;
  for (let token = 0; ; token++) {
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i >= end) return -1;
    if (token === n) return i;
    while (i < end && !isSpace(text.charCodeAt(i))) i++;
  }
}

const SPACE = 0x20;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/**
 * One row of text[start, end): " %0WX:%04X %0WX:%04X %02X %08X:%08X" after "sl:", then
 * "tr:tm->when retrnsmt uid timeout inode …" (W = 8 for IPv4, 32 for IPv6). Undefined for a line
 * that is not such a row, or (with `ports`) one with none of them at either end, which is left
 * after the ports are read: most of a classroom's rows get only that look.
 */
function rowAt(
  text: string,
  start: number,
  end: number,
  family: TcpRow["family"],
  littleEndian: boolean,
  ports: ReadonlySet<number> | undefined,
): TcpRow | undefined {
  const colon = text.indexOf(":", start);
  if (colon < 0 || colon >= end) return undefined;
  const width = family === "ipv4" ? 8 : 32;
  const local = colon + 2;
  const remote = local + width + 6;
  const state = remote + width + 6;
  const queues = state + 3;
  const rest = queues + 17;
  if (rest > end) return undefined;
  if (
    text.charCodeAt(colon + 1) !== SPACE ||
    text.charCodeAt(local + width) !== COLON ||
    text.charCodeAt(local + width + 5) !== SPACE ||
    text.charCodeAt(remote + width) !== COLON ||
    text.charCodeAt(remote + width + 5) !== SPACE ||
    text.charCodeAt(state + 2) !== SPACE ||
    text.charCodeAt(queues + 8) !== COLON ||
    !isSpace(text.charCodeAt(rest))
  )
    return undefined;
  const localPort = hexAt(text, local + width + 1, 4);
  const remotePort = hexAt(text, remote + width + 1, 4);
  if (Number.isNaN(localPort) || Number.isNaN(remotePort)) return undefined;
  if (ports && !ports.has(localPort) && !ports.has(remotePort)) return undefined;
  const stateName = tcpStateOf(hexAt(text, state, 2));
  const txQueue = hexAt(text, queues, 8);
  const rxQueue = hexAt(text, queues + 9, 8);
  // The inode is the fifth token after the queues: tr:tm->when, retrnsmt, uid and timeout come first.
  const inodeAt = tokenStart(text, rest, end, 4);
  if (!stateName || Number.isNaN(txQueue) || Number.isNaN(rxQueue) || inodeAt < 0) return undefined;
  let inodeEnd = inodeAt;
  while (inodeEnd < end && !isSpace(text.charCodeAt(inodeEnd))) inodeEnd++;
  const inode = Number(text.slice(inodeAt, inodeEnd));
  const localAddress = addressAt(text, local, width, littleEndian);
  const remoteAddress = addressAt(text, remote, width, littleEndian);
  if (Number.isNaN(inode) || localAddress === undefined || remoteAddress === undefined) return undefined;
  return {
    family,
    local: { address: localAddress, port: localPort },
    remote: { address: remoteAddress, port: remotePort },
    state: stateName,
    txQueue,
    rxQueue,
    inode,
  };
}

/**
 * Decodes the text of /proc/net/tcp (ipv4) or /proc/net/tcp6 (ipv6); lines it cannot read are
 * skipped. With `ports`, only rows with one of them at either end are decoded. A classroom's table
 * runs to tens of thousands of rows (a lesson's server side lingers 60 s in FIN_WAIT2, TIME_WAIT as
 * long), read several times a second: each row is read in place, field by field (no split, no
 * regular expression), which made a 60,000-row read about 30 times cheaper.
 */
export function parseProcNetTcp(
  text: string,
  family: TcpRow["family"],
  littleEndian = os.endianness() === "LE",
  ports?: ReadonlySet<number>,
): TcpRow[] {
  const rows: TcpRow[] = [];
  // Line by line over the text (the first line is the header).
  for (let start = text.indexOf("\n") + 1; start > 0 && start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    const row = rowAt(text, start, end, family, littleEndian, ports);
    if (row) rows.push(row);
    start = end + 1;
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
