import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

/**
 * One build in flight per cache entry across processes. The cache (CACHE_DIR) is shared by every
 * process of a checkout: the app, each test file's app (Vitest runs files in separate workers) and
 * each spawned `server/main.ts`, whose background build starts at once. On an empty cache they all
 * built the same pair, initramfs and tools at the same moment; one then booted an initramfs another
 * was still writing (the "stopped 0.5 s into boot, nothing printed" of clean-clone runs). Writes
 * stay atomic on their own (temp file per process, then rename); the lock makes the others wait for
 * the one build instead of racing it, so a cold cache costs one kbuild, not one per process.
 *
 * The lock is `<entry>.lock`, created with O_EXCL and holding its owner's pid. A holder that died
 * without removing it (SIGKILL) leaves a pid that no longer runs: the next caller takes the lock
 * over. A lock older than STALE_MS is taken over too (a pid reused by another process after a
 * crash would otherwise hold it forever); every build it guards has its own timeout well below.
 */
const POLL_MS = 50;
const STALE_MS = 10 * 60_000;

/** Runs `work` while holding `<entry>.lock`; waits (polling) while another holder runs. */
export async function withCacheLock<T>(entry: string, work: () => Promise<T>): Promise<T> {
  const lock = `${entry}.lock`;
  while (!tryLock(lock)) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * The cache file `path`, made by `make` (which writes it whole, by rename) once for every process
 * that asks at the same time: the first makes it under the lock, the others wait and take it.
 */
export async function cachedFile(path: string, make: () => Promise<void>): Promise<string> {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  await withCacheLock(path, async () => {
    if (!existsSync(path)) await make();
  });
  return path;
}

function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, "wx");
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  if (isStale(lock)) rmSync(lock, { force: true });
  return false;
}

/** Whether the lock's holder is gone: its pid runs no more, or the lock outlived any build. */
function isStale(lock: string): boolean {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(lock, "utf8");
    mtimeMs = statSync(lock).mtimeMs;
  } catch {
    // Released meanwhile: the next try takes it.
    return false;
  }
  if (Date.now() - mtimeMs > STALE_MS) return true;
  const pid = Number.parseInt(text, 10);
  // Written by its creator right after the create: an empty file is a lock being taken now.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return !processRuns(pid);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
