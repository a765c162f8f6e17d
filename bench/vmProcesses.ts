import { readdirSync, readFileSync } from "node:fs";

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
