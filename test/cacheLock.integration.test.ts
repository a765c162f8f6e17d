import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withCacheLock } from "../server/realKernel/cacheLock.ts";

const dir = mkdtempSync(join(tmpdir(), "ksl-cache-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the cache's build lock", () => {
  it("runs the builds of one entry one after the other, never two at once, and leaves no lock", async () => {
    const entry = join(dir, "pair");
    const log: string[] = [];
    const build = (name: string) =>
      withCacheLock(entry, async () => {
        log.push(`${name} starts`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        log.push(`${name} ends`);
        return name;
      });
    expect(await Promise.all([build("a"), build("b")])).toEqual(["a", "b"]);
    expect(log).toEqual(["a starts", "a ends", "b starts", "b ends"]);
    expect(existsSync(`${entry}.lock`)).toBe(false);
  });

  it("takes over a lock whose holder died without removing it", async () => {
    const entry = join(dir, "initramfs");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    writeFileSync(`${entry}.lock`, `${dead.stdout.toString()}\n`);
    expect(await withCacheLock(entry, async () => "built")).toBe("built");
  });

  it("releases the lock when the build fails, so the next caller may try again", async () => {
    const entry = join(dir, "failing");
    await expect(withCacheLock(entry, () => Promise.reject(new Error("make failed")))).rejects.toThrow(
      "make failed",
    );
    expect(await withCacheLock(entry, async () => "again")).toBe("again");
  });
});
