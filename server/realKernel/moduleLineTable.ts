import { execFile } from "node:child_process";
import { trackBuild } from "./buildsInFlight.ts";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

/**
 * For each function of a built module (gcc's `.cold` parts included, each its own symbol in
 * .text.unlikely), the listing line of every byte of its code: line[offset], 0 where the debug
 * information names no line of the listing. Read from the .ko's own DWARF line table (kbuild
 * builds with -g: Debian's config has CONFIG_DEBUG_INFO=y) by binutils' addr2line, so an oops's
 * `myserver.cold+0x166/0x192 [server]` is found on the very line that made the call.
 */
export type LineTable = Record<string, number[]>;

type FunctionSymbol = { name: string; section: string; value: number; size: number };

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    trackBuild(
      execFile(
        command,
        args,
        { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: "C" } },
        (e, out) => (e ? reject(e) : resolve(out)),
      ),
    );
  });
}

/** `objdump -t`: "0000000000000011 l     F .text.unlikely	0000000000000192 myserver.cold". */
export function functionSymbols(objdumpT: string): FunctionSymbol[] {
  const symbols: FunctionSymbol[] = [];
  for (const line of objdumpT.split("\n")) {
    const match = /^([0-9a-f]+)\s.{6}F\s+(\S+)\s+([0-9a-f]+)\s+(\S+)$/.exec(line);
    if (!match) continue;
    const size = Number.parseInt(match[3] as string, 16);
    if (size === 0) continue;
    const value = Number.parseInt(match[1] as string, 16);
    symbols.push({ name: match[4] as string, section: match[2] as string, value, size });
  }
  return symbols;
}

/**
 * `addr2line -a -f -i`: per address, "0x…" then (function, file:line) pairs, the innermost inlined
 * code first. The line wanted is the first in the listing's own file: a call inlined from a header
 * stands, in the listing, on the line that called it.
 */
export function listingLines(addr2lineOut: string, sourceFile: string): Map<number, number> {
  const lines = new Map<number, number>();
  let address: number | undefined;
  for (const line of addr2lineOut.split("\n")) {
    if (/^0x[0-9a-f]+$/.test(line)) {
      address = Number.parseInt(line.slice(2), 16);
      continue;
    }
    const at = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(line);
    if (address === undefined || !at || lines.has(address)) continue;
    if (basename(at[1] as string) === sourceFile && Number(at[2]) > 0) lines.set(address, Number(at[2]));
  }
  return lines;
}

export async function buildLineTable(ko: string, sourceFile: string): Promise<LineTable> {
  const symbols = functionSymbols(await run("objdump", ["-t", ko]));
  const table: LineTable = {};
  const sections = new Set(symbols.map((s) => s.section));
  for (const section of sections) {
    const inSection = symbols.filter((s) => s.section === section);
    const addresses = new Set<number>();
    for (const s of inSection) for (let i = 0; i < s.size; i++) addresses.add(s.value + i);
    const hex = [...addresses].map((a) => `0x${a.toString(16)}`);
    const out = await run("addr2line", ["-e", ko, "-j", section, "-a", "-f", "-i", ...hex]);
    const lines = listingLines(out, sourceFile);
    for (const s of inSection) {
      table[s.name] = Array.from({ length: s.size }, (_, i) => lines.get(s.value + i) ?? 0);
    }
  }
  return table;
}

/** The table beside the .ko (`<module>.lines.json`), made once per build. */
export async function lineTableFor(ko: string, sourceFile: string): Promise<LineTable> {
  const cached = ko.replace(/\.ko$/, ".lines.json");
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as LineTable;
  const table = await buildLineTable(ko, sourceFile);
  writeFileSync(`${cached}.part`, JSON.stringify(table));
  renameSync(`${cached}.part`, cached);
  return table;
}

/**
 * The listing line of `symbol+offset`. A call-trace entry is a return address, the byte after the
 * call, which may already stand on the next line: the call is the byte before it (as the kernel's
 * scripts/decode_stacktrace.sh reads it). The RIP is the faulting instruction itself.
 */
export function lineAt(
  table: LineTable,
  symbol: string,
  offset: number,
  isReturnAddress: boolean,
): number | undefined {
  const lines = table[symbol];
  if (!lines) return undefined;
  const at = isReturnAddress && offset > 0 ? offset - 1 : offset;
  return lines[at] || undefined;
}
