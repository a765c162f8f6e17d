import { accessSync, constants } from "node:fs";
import path from "node:path";

/**
 * Where strace is, if this machine has it. strace runs as the PARENT of the traced worker: no
 * ptrace of an existing process, so Yama's ptrace_scope 1 and Docker's default seccomp profile
 * allow it without any capability. eBPF would need CAP_BPF + CAP_PERFMON: not used.
 */
export function findStrace(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of ["/usr/bin", ...dirs]) {
    const candidate = path.join(dir, "strace");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The system calls the view shows, and the markers' access(); `?` skips a name this arch lacks. */
export const TRACED_CALLS = "%network,read,write,writev,close,epoll_ctl,?access,?faccessat,?faccessat2";

export function straceArgs(command: readonly string[]): string[] {
  // -f: libuv's threads too; --seccomp-bpf: only the traced calls stop the worker; -y: fds with
  // their socket inode; -qq: no attach/exit chatter. Never -yy: it scans every TCP socket per fd.
  return ["-f", "--seccomp-bpf", "-ttt", "-y", "-qq", "-e", `trace=${TRACED_CALLS}`, "--", ...command];
}
