import { type AppProcess, spawnApp } from "../test/helpers/appProcess.ts";

export type { AppProcess };

/**
 * The app on `port` through the tests' one spawner (test/helpers/appProcess.ts), with the bench's
 * knobs: BENCH_PROFILE=<dir> makes each app child write a V8 CPU profile there when it stops;
 * BENCH_APP_ROOT=<checkout> runs another checkout's server (an older commit, for a before figure).
 */
export function startAppProcess(port: number, env: Record<string, string> = {}): Promise<AppProcess> {
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  return spawnApp(
    // The built client where the bench serves pages, as `npm start` would serve it.
    { PORT: String(port), STATIC_DIR: "dist/client", ...env },
    // A loaded machine (the bench's classroom beside) may take a while to start the app; never forever.
    { nodeArgs: profile, cwd: process.env.BENCH_APP_ROOT, timeoutMs: 120_000 },
  );
}
