import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** USER_HZ, the unit of /proc/<pid>/stat's times. */
const CLOCK_TICKS = 100;

export type VmSample = { pid: number; cpuMs: number; rssBytes: number };

function stat(pid: number): { ppid: number; comm: string; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(fields[1]),
      comm,
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

function rss(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The QEMU processes descended from `ancestor` (the app: app → sh watchdog → qemu), with their CPU time and RSS. */
export function vmProcesses(ancestor: number): VmSample[] {
  const all = new Map<number, { ppid: number; comm: string; cpuMs: number }>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) all.set(pid, s);
  }
  const descends = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid, hops = 0; p && hops < 6; p = all.get(p)?.ppid, hops++)
      if (p === ancestor) return true;
    return false;
  };
  return [...all.entries()]
    .filter(([pid, s]) => s.comm.startsWith("qemu-system") && descends(pid))
    .map(([pid, s]) => ({ pid, cpuMs: s.cpuMs, rssBytes: rss(pid) }));
}

/**
 * Which QEMU the app under `ancestor` runs ("QEMU emulator version 11.1.3 (Debian …)"), read from
 * its running VM's binary: the lab's unpacked one or the machine's (server/realKernel/qemuBinary.ts),
 * and main's app (BENCH_APP_ROOT) may run another than this checkout's.
 */
export function qemuVersionOf(ancestor: number): string | undefined {
  const vm = vmProcesses(ancestor)[0];
  if (!vm) return undefined;
  try {
    const binary = readlinkSync(`/proc/${vm.pid}/exe`);
    return execFileSync(binary, ["--version"], { encoding: "utf8" }).split("\n")[0]?.trim();
  } catch {
    return undefined;
  }
}
