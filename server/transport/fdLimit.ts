/**
 * The process's limit on open file descriptors (RLIMIT_NOFILE), which bounds connections and lab
 * sockets alike. Node has no setrlimit; it raises the soft limit to the hard one itself at start
 * (src/node.cc, PlatformInit). Where that did not happen, util-linux `prlimit` on this very pid
 * raises it (an unprivileged process may raise its soft limit up to the hard one; only root, or a
 * container's `--ulimit nofile=`, raises the hard one).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export type FdLimit = { soft: number; hard: number | "unlimited" };

/** Reads Linux's /proc/self/limits; undefined elsewhere. */
export function readFdLimit(limitsText?: string): FdLimit | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/self/limits", "utf8");
    } catch {
      return undefined;
    }
  }
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  if (!match) return undefined;
  const soft = match[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(match[1]);
  const hard = match[2] === "unlimited" ? "unlimited" : Number(match[2]);
  return { soft, hard };
}

/** Raises the soft limit to the hard one when they differ; answers the limit now in force. */
export function raiseFdLimit(): FdLimit | undefined {
  const before = readFdLimit();
  if (!before || before.hard === "unlimited" || before.soft >= before.hard) return before;
  try {
    execFileSync("prlimit", [`--pid=${process.pid}`, `--nofile=${before.hard}:${before.hard}`], {
      stdio: "ignore",
      timeout: 2000,
    });
  } catch {
    // No prlimit (or not allowed): the start line reports the limit as it is.
  }
  return readFdLimit();
}

export function describeFdLimit(limit: FdLimit | undefined): string {
  if (!limit) return "file descriptors: limit unknown on this platform";
  return `file descriptors: ${limit.soft} (hard limit ${limit.hard})`;
}
