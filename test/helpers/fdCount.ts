import { readdirSync } from "node:fs";
import { expect } from "vitest";

/** This process's open file descriptors: sockets, pipes, files, all counted by the kernel. */
export function openFds(): number {
  return readdirSync("/proc/self/fd").length;
}

/**
 * Polls until the count is back at (or below) `baseline`: sockets close asynchronously, so a
 * leak is a count that stays above it past the deadline. Returns the final count.
 */
export async function expectFdsBackTo(baseline: number, timeoutMs = 5000): Promise<number> {
  await expect.poll(openFds, { timeout: timeoutMs, interval: 10 }).toBeLessThanOrEqual(baseline);
  return openFds();
}
