import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "./build.ts";
import { trackBuild } from "./buildsInFlight.ts";
import { cachedFile } from "./cacheLock.ts";

const building = new Map<string, Promise<string>>();

/**
 * A guest tool written in C, built once with `gcc -static` (no library in the initramfs beside it)
 * and cached by its source's hash. Returns the binary's path on the host.
 */
export function staticGuestTool(name: string, source: string): Promise<string> {
  const key = `${name}-${createHash("sha256").update(source).digest("hex").slice(0, 16)}`;
  let binary = building.get(key);
  if (!binary) {
    binary = build(key, name, source);
    binary.catch(() => building.delete(key));
    building.set(key, binary);
  }
  return binary;
}

async function build(key: string, name: string, source: string): Promise<string> {
  const binary = join(CACHE_DIR, key);
  // One gcc for every process that needs the tool at once (cacheLock.ts).
  return cachedFile(binary, () => compile(binary, key, name, source));
}

async function compile(binary: string, key: string, name: string, source: string): Promise<void> {
  const sourcePath = join(CACHE_DIR, `${key}.${process.pid}.c`);
  const part = `${binary}.${process.pid}.part`;
  writeFileSync(sourcePath, source);
  try {
    await new Promise<void>((resolve, reject) =>
      trackBuild(
        execFile("gcc", ["-static", "-Os", "-s", "-o", part, sourcePath], (error, _out, stderr) =>
          error
            ? reject(new Error(`the guest's ${name} did not build: ${stderr || error.message}`))
            : resolve(),
        ),
      ),
    );
    renameSync(part, binary);
  } finally {
    rmSync(sourcePath, { force: true });
    rmSync(part, { force: true });
  }
}
