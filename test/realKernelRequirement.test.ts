import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";

describe("the real-kernel tests on a machine without QEMU", () => {
  let emptyPath: string;
  beforeEach(() => {
    // A PATH with no qemu-system-x86_64 on it: the engine's detection reads PATH when it runs.
    emptyPath = mkdtempSync(join(tmpdir(), "no-qemu-"));
    vi.stubEnv("PATH", emptyPath);
    // Nor the QEMU unpacked into the lab's cache (qemuBinary.ts): only PATH's, and PATH has none.
    vi.stubEnv("REAL_KERNEL_QEMU", "system");
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    rmSync(emptyPath, { recursive: true, force: true });
  });

  it("fail, naming QEMU and the install command, when REAL_KERNEL=required", () => {
    vi.stubEnv("REAL_KERNEL", "required");
    expect(() => realKernelForTests()).toThrow(
      /REAL_KERNEL=required.*qemu-system-x86_64.*bash scripts\/install-real-kernel\.sh/,
    );
  });

  it("are skipped, saying why, when REAL_KERNEL is not set", () => {
    vi.stubEnv("REAL_KERNEL", undefined);
    const availability = realKernelForTests();
    expect(availability.ok).toBe(false);
    expect(console.warn).toHaveBeenCalledWith(
      expect.stringMatching(/real-kernel tests skipped: missing qemu/),
    );
  });
});
