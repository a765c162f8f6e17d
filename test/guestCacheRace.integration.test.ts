import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";

const availability = realKernelForTests();
const dir = mkdtempSync(join(tmpdir(), "ksl-cache-race-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Packed = { archive?: string; sha?: string; error?: string };

/** Starts a builder process; resolves once it has imported everything and waits for "go". */
async function builder(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; result: Promise<Packed> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/initramfsBuilder.ts"], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    if (out.startsWith("ready\n")) onReady();
  });
  const result = new Promise<Packed>((resolve) =>
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      resolve(line ? (JSON.parse(line) as Packed) : { error: `exited with ${code}: ${out}` });
    }),
  );
  await ready;
  return { child, result };
}

describe.skipIf(!availability.ok)("the guest's cache shared by several processes", () => {
  it("processes that pack the same initramfs at once each get the whole archive, none a half-written or vanished one", async () => {
    if (!availability.ok) return;
    const module = join(dir, "module.ko");
    // Big enough that cpio takes a while: the window in which another process could write into it.
    writeFileSync(module, createHash("sha512").update("ko").digest().toString("hex").repeat(16_384));
    const env = {
      REAL_KERNEL_CACHE: join(dir, "cache"),
      BUSYBOX: availability.tools.busybox,
      MODULE: module,
    };
    // Each builds the guest's static tools (gcc -static) on the way too: those are shared as well.
    const racers = await Promise.all([1, 2, 3].map(() => builder(env)));
    for (const racer of racers) racer.child.stdin?.write("go\n");
    const packed = await Promise.all(racers.map((r) => r.result));

    expect(packed.map((p) => p.error)).toEqual([undefined, undefined, undefined]);
    const archive = readFileSync(packed[0]?.archive ?? "");
    const whole = createHash("sha256").update(archive).digest("hex");
    // What each read the moment its call returned is the archive as it stands complete.
    expect(packed.map((p) => p.sha)).toEqual([whole, whole, whole]);
    const listed = execFileSync("cpio", ["-t", "--quiet"], { input: archive }).toString().split("\n");
    expect(listed).toEqual(expect.arrayContaining(["init", "bin/busybox", "fixed/client.ko"]));
    // Nothing left behind: no part file, staging tree or lock.
    expect(readdirSync(join(dir, "cache")).filter((n) => /\.(part|lock)$|\.tmp-/.test(n))).toEqual([]);
  }, 60_000);
});
