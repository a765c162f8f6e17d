import { afterAll, afterEach, beforeAll } from "vitest";
import { type RunningApp, startApp } from "../../server/app.ts";
import type { Variant } from "../../shared/protocol/steps.ts";
import { LabClient } from "./labClient.ts";

// Software emulation: a boot takes about 2 s of a free core and a step of a run well under one,
// but many times that on a loaded machine (CI running other suites beside). The waits poll, so a
// generous deadline costs nothing when the machine is free; a VM that stops ends a wait at once.
export const BOOT_MS = 120_000;
export const STEP_MS = 60_000;
export const TEST_MS = 300_000;

/**
 * One app for a real-kernel suite and the labs its tests open on it: the app starts before the
 * suite and stops after it, each test's labs (and so their VMs) close after the test.
 */
export function realKernelApp(): {
  open(variant: Variant, options?: { stepMode?: boolean; release?: string }): Promise<LabClient>;
} {
  let app: RunningApp | undefined;
  const clients: LabClient[] = [];
  beforeAll(async () => {
    app = await startApp({ port: 0, labPort: 0 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await app?.close();
  });
  return {
    async open(variant, { stepMode = false, release } = {}) {
      if (!app) throw new Error("the app is not started: open labs inside a test");
      const lab = await LabClient.open(app.url);
      clients.push(lab);
      // Picked before the engine: its first VM boots that release, not the default one.
      if (release) lab.send({ type: "kernel.release", release });
      lab.send({ type: "engine.select", engine: "real-kernel" });
      lab.send({ type: "variant.select", variant });
      if (stepMode) lab.send({ type: "stepMode.set", enabled: true });
      await lab.waitFor(
        (e) => e.type === "engine" && e.status === "available" && (!release || e.series === release),
      );
      await lab.waitFor((e) => e.type === "settings" && e.variant === variant && e.stepMode === stepMode);
      return lab;
    },
  };
}
