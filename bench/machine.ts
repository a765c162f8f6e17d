import { readFileSync } from "node:fs";
import os from "node:os";

export type Machine = { cpu: string; cores: number; memory: string; node: string; kernel: string };

/**
 * The 1-minute load average: on a shared machine other work competes for the same cores, and the
 * latency figures move with it, so the results say how busy the machine was.
 */
export function loadAverage(): string {
  return os.loadavg()[0]?.toFixed(2) ?? "n/a";
}

/** What the figures were measured on: they mean little without it. */
export function describeMachine(): Machine {
  let cpu = os.cpus()[0]?.model ?? "unknown CPU";
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (model?.[1]) cpu = model[1].trim();
  } catch {
    // Not Linux: os.cpus() already named the model.
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}
