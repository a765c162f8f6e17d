import { readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";

/**
 * How many learner builds the cache keeps (LEARNER_BUILD_CACHE_MAX): each is a directory of two
 * .ko files with their DWARF (~1 MB), so a class of learners building all day would otherwise
 * fill the disk.
 */
export const LEARNER_BUILD_CACHE_MAX = Math.max(1, Number(process.env.LEARNER_BUILD_CACHE_MAX) || 200);

/** Marks a build as just used: the eviction takes the least recently built or reused first. */
export function touchLearnerBuild(dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // Gone already: nothing to keep.
  }
}

/**
 * Removes the oldest learner-<key> directories of `cacheDir` beyond `max`, never `keep` (the build
 * just made). A session whose latest build was evicted is told, when it starts it, to build again.
 */
export function evictLearnerBuilds(cacheDir: string, keep: string, max = LEARNER_BUILD_CACHE_MAX): string[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir).filter((name) => name.startsWith("learner-"));
  } catch {
    return [];
  }
  if (names.length <= max) return [];
  const dated = names.flatMap((name) => {
    const path = join(cacheDir, name);
    try {
      return [{ path, mtime: statSync(path).mtimeMs }];
    } catch {
      return [];
    }
  });
  dated.sort((a, b) => a.mtime - b.mtime);
  const evicted: string[] = [];
  for (const { path } of dated) {
    if (dated.length - evicted.length <= max) break;
    if (path === keep) continue;
    rmSync(path, { recursive: true, force: true });
    evicted.push(path);
  }
  return evicted;
}
