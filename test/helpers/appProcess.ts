import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** The app in a child process of its own, so its signals, RSS and descriptors are its own. */
export type AppProcess = {
  child: ChildProcess;
  url: string;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
  /** Resident set size in bytes, from /proc/<pid>/status. */
  rss(): number;
  /** Open file descriptors, from /proc/<pid>/fd. */
  fds(): number;
  /** CPU time used so far (user + system), in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** SIGTERM, then resolves once it exited (at once if it already had). */
  stop(): Promise<void>;
};

export type SpawnOptions = {
  /** How long the app may take to print its "listening on" line (default 20 s). */
  timeoutMs?: number;
  /** Node flags before the loader (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** The checkout whose `server/main.ts` runs (default this one). */
  cwd?: string;
};

/**
 * Starts `server/main.ts` as `npm start` runs it: `node --import tsx server/main.ts`, one process
 * (the tsx CLI would add a parent), so signals reach the app itself; resolves with the URL it
 * prints once it listens. `env` adds to a loopback default (any free port, no built client).
 */
export function spawnApp(env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<AppProcess> {
  const { nodeArgs = [], ...rest } = options;
  return spawnAppWith(process.execPath, [...nodeArgs, "--import", "tsx", "server/main.ts"], env, rest);
}

/** The same for any command that ends up running the app (e.g. `npm run serve`), from the project root. */
export async function spawnAppWith(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  { timeoutMs = 20_000, cwd = ROOT }: Omit<SpawnOptions, "nodeArgs"> = {},
): Promise<AppProcess> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", LAB_PORT: "0", STATIC_DIR: "/nonexistent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no "listening on" line within ${timeoutMs} ms:\n${text}`)),
      timeoutMs,
    );
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) done(undefined, match[1]);
    };
    const onExit = (code: number | null) =>
      done(new Error(`the app exited with ${code} before listening:\n${text}`));
    function done(err?: Error, found?: string) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (err) {
        child.kill("SIGKILL");
        reject(err);
      } else resolve(found!);
    }
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
  const pid = child.pid as number;
  return {
    child,
    url,
    pid,
    output: () => text,
    exited,
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
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}
