import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { guestInOrder } from "../server/realKernel/guestInOrder.ts";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";

const availability = realKernelForTests();
const dir = mkdtempSync(join(tmpdir(), "lab-in-order-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the guest's order keeper on the host (it is plain static C): resolves with its exit status. */
function keeper(after: string, gate: string, ...tool: string[]): Promise<{ rc: number; output: string }> {
  return guestInOrder().then(
    (binary) =>
      new Promise((resolve) => {
        execFile(binary, [after, gate, ...tool], (error, stdout, stderr) =>
          resolve({ rc: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
        );
      }),
  );
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!availability.ok)("the guest's order keeper for insmod and rmmod", () => {
  it("starts a command only once the one before it has returned, and exits with its status", async () => {
    const first = join(dir, "a");
    const marker = join(dir, "a-ran");
    const second = keeper(first, join(dir, "b"), "/bin/sh", "-c", `test -e ${marker} && exit 3`);
    // A builtin redirect: the shell never sleeps in wait() before the marker exists.
    const one = await keeper("-", first, "/bin/sh", "-c", `: > ${marker}; exit 0`);
    expect(one.rc).toBe(0);
    // The second ran after the first's marker existed: its test found it and it exited 3.
    expect((await second).rc).toBe(3);
  });

  it("opens its gate while its tool still sleeps in the kernel, as the published server's insmod in accept", async () => {
    const gate = join(dir, "sleeper");
    const sleeping = keeper("-", gate, "/bin/sleep", "1");
    await until(() => existsSync(gate), 900);
    expect((await sleeping).rc).toBe(0);
  });

  it("reports a tool killed by a signal as a shell does (128 + the signal)", async () => {
    const killed = await keeper("-", join(dir, "killed"), "/bin/sh", "-c", "kill -9 $$");
    expect(killed.rc).toBe(137);
    expect(existsSync(join(dir, "killed"))).toBe(true);
  });
});
