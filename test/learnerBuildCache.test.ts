import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evictLearnerBuilds } from "../server/realKernel/learnerBuildCache.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cacheWith(count: number): string {
  const cache = mkdtempSync(join(tmpdir(), "learner-cache-"));
  dirs.push(cache);
  for (let i = 0; i < count; i++) {
    const dir = join(cache, `learner-${i}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "server.ko"), "ko");
    const when = new Date(Date.UTC(2026, 0, 1, 0, i));
    utimesSync(dir, when, when);
  }
  // The shipped listings' builds are never the learners' to evict.
  mkdirSync(join(cache, "294bb96cfdeea804"));
  return cache;
}

describe("the learner build cache", () => {
  it("keeps the newest builds up to its cap and removes the oldest, never the one just built nor the listings' builds", () => {
    const cache = cacheWith(5);
    const evicted = evictLearnerBuilds(cache, join(cache, "learner-0"), 3);
    expect(evicted.map((p) => p.slice(cache.length + 1))).toEqual(["learner-1", "learner-2"]);
    for (const kept of ["learner-0", "learner-3", "learner-4", "294bb96cfdeea804"])
      expect(existsSync(join(cache, kept))).toBe(true);
  });

  it("removes nothing while the cache is within its cap", () => {
    const cache = cacheWith(3);
    expect(evictLearnerBuilds(cache, join(cache, "learner-2"), 3)).toEqual([]);
  });
});
