import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../server/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type AppProcess = {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
};

/**
 * Starts `server/main.ts` as its own process (Node with tsx's loader, so signals reach the app
 * itself) and resolves with the URL it prints once it listens. `env` adds to a loopback default.
 */
export function spawnApp(env: Record<string, string> = {}, timeoutMs = 20_000): Promise<AppProcess> {
  return spawnAppWith(process.execPath, ["--import", "tsx", MAIN], env, timeoutMs);
}

/** The same for any command that ends up running the app (e.g. `npm run serve`), from the project root. */
export async function spawnAppWith(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<AppProcess> {
  const child = spawn(command, args, {
    cwd: ROOT,
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
  return { child, url, output: () => text, exited };
}
