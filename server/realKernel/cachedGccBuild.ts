import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "./build.ts";
import { trackBuild } from "./buildsInFlight.ts";
import { cachedFile } from "./cacheLock.ts";

export type GccBuild = {
  /** Names the cache entry and the error ("the guest's insmod did not build"). */
  name: string;
  /** What it is, for the error message: "the guest's insmod". */
  what: string;
  source: string;
  /** gcc's flags before `-o` (how to build: -static, -shared …). */
  flags: string[];
  /** Libraries, after the source. */
  libraries?: string[];
  /** Headers the source includes: their text goes into the cache key, their directory onto -I. */
  headers?: { dir: string; text: string };
};

const building = new Map<string, Promise<string>>();

/**
 * A C file built once with gcc and cached by the hash of its source, headers and flags: the
 * guest's static tools, the QEMU call-tracer plugin. Returns the output's path on the host.
 */
export function cachedGccBuild(build: GccBuild): Promise<string> {
  const hash = createHash("sha256")
    .update(build.source)
    .update(build.headers?.text ?? "")
    .update(build.flags.join(" "))
    .digest("hex")
    .slice(0, 16);
  const key = `${build.name}-${hash}`;
  let output = building.get(key);
  if (!output) {
    const path = join(CACHE_DIR, key);
    // One gcc for every process that needs the output at once (cacheLock.ts).
    output = cachedFile(path, () => compile(path, key, build));
    output.catch(() => building.delete(key));
    building.set(key, output);
  }
  return output;
}

async function compile(output: string, key: string, build: GccBuild): Promise<void> {
  const sourcePath = join(CACHE_DIR, `${key}.${process.pid}.c`);
  const part = `${output}.${process.pid}.part`;
  writeFileSync(sourcePath, build.source);
  const include = build.headers ? ["-I", build.headers.dir] : [];
  try {
    await new Promise<void>((resolve, reject) =>
      trackBuild(
        execFile(
          "gcc",
          [...build.flags, ...include, "-o", part, sourcePath, ...(build.libraries ?? [])],
          (error, _out, stderr) =>
            error ? reject(new Error(`${build.what} did not build: ${stderr || error.message}`)) : resolve(),
        ),
      ),
    );
    renameSync(part, output);
  } finally {
    rmSync(sourcePath, { force: true });
    rmSync(part, { force: true });
  }
}
