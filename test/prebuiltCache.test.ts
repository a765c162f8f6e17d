import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { seedCacheFromPrebuilt } from "../server/realKernel/prebuiltCache.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ksl-prebuilt-"));
  dirs.push(dir);
  return dir;
}

describe("an image's prebuilt guest", () => {
  it("is copied into an empty cache volume at start, and what the cache already holds is kept", () => {
    const prebuilt = tempDir();
    mkdirSync(join(prebuilt, "0123abcd"));
    writeFileSync(join(prebuilt, "0123abcd", "server.ko"), "prebuilt server");
    writeFileSync(join(prebuilt, "initramfs-feed.cpio"), "prebuilt archive");
    const cache = join(tempDir(), "not-yet");

    expect(seedCacheFromPrebuilt(prebuilt, cache)).toBe(2);
    expect(readFileSync(join(cache, "0123abcd", "server.ko"), "utf8")).toBe("prebuilt server");
    expect(readFileSync(join(cache, "initramfs-feed.cpio"), "utf8")).toBe("prebuilt archive");

    writeFileSync(join(cache, "initramfs-feed.cpio"), "built here");
    expect(seedCacheFromPrebuilt(prebuilt, cache)).toBe(0);
    expect(readFileSync(join(cache, "initramfs-feed.cpio"), "utf8")).toBe("built here");
    expect(seedCacheFromPrebuilt(undefined, cache)).toBe(0);
  });
});
