import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

export type AppProcess = {
  url: string;
  pid: number;
  /** Resident set size in bytes, from /proc/<pid>/status. */
  rss(): number;
  /** Open file descriptors, from /proc/<pid>/fd. */
  fds(): number;
  /** CPU time used so far (user + system), in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  stop(): Promise<void>;
};

/**
 * The app as `npm start` runs it, in a child process of its own so its RSS and descriptors are its
 * own: `node --import tsx server/main.ts` is one process (the tsx CLI would add a parent).
 */
export async function startAppProcess(port: number, env: Record<string, string> = {}): Promise<AppProcess> {
  // BENCH_PROFILE=<dir>: each app child writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  // BENCH_APP_ROOT=<checkout>: run another checkout's server (e.g. an older commit, for a before figure).
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "server/main.ts"], {
    cwd: process.env.BENCH_APP_ROOT ?? ROOT,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), LAB_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the app exited (${code}) before listening:\n${stderr}`)));
  });
  const pid = child.pid as number;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    rss: () =>
      Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN) *
      1024,
    fds: () => readdirSync(`/proc/${pid}/fd`).length,
    cpuMs: () => {
      // Fields after the ")" that ends the command name; utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
