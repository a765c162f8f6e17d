import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./tracedLabWorker.ts", import.meta.url));
/**
 * Two folders below the repository's root, as the sources' own files are: modules that find the
 * listings with `new URL("../../", import.meta.url)` (listingSources.ts) find them from the bundle too.
 */
const CACHE = fileURLToPath(new URL("../../node_modules/.cache/", import.meta.url));

let built: Promise<string[]> | undefined;

/**
 * How to start the traced lab's worker: `node <bundle>.mjs`, one file esbuild makes once per app
 * process (a worker under tsx spends seconds compiling under strace; the bundle starts in a
 * fraction of that), or `node --import tsx <entry>.ts` when the bundle cannot be made here.
 */
export function workerCommand(): Promise<string[]> {
  built ??= bundle().catch(() => [process.execPath, "--import", import.meta.resolve("tsx"), ENTRY]);
  return built;
}

async function bundle(): Promise<string[]> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error("esbuild made no output");
  // Named by its content: app processes of one checkout share it, and a changed worker gets a new file.
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const file = `${CACHE}syscall-worker-${hash}.mjs`;
  await mkdir(CACHE, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, text);
  await rename(partial, file);
  return [process.execPath, file];
}
