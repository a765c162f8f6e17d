import type { ChildProcess } from "node:child_process";

/**
 * The host-side builds of the real-kernel engine (kbuild, cpio, the guest's static insmod, the
 * line tables) run as child processes shared by every session, so no session owns them. The process
 * does: on shutdown `stopBuilds()` kills what is still running and closes this end of its pipes
 * (they are sockets, and a supervisor is told how many sockets were left open; a killed make's
 * compilers would hold them open until they finish), and no build starts after it.
 */
const controller = new AbortController();

/** Registers a build's child process: killed, its pipes closed, when the app stops. */
export function trackBuild<T extends ChildProcess>(child: T): T {
  const stop = () => {
    child.kill("SIGKILL");
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
  };
  if (controller.signal.aborted) {
    stop();
    return child;
  }
  controller.signal.addEventListener("abort", stop, { once: true });
  child.once("exit", () => controller.signal.removeEventListener("abort", stop));
  return child;
}

export function stopBuilds(): void {
  controller.abort();
}
