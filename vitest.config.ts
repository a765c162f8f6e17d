import { defineConfig } from "vitest/config";
import { listingsPlugin } from "./build/listingsPlugin.ts";

/**
 * Three projects, run together by `npm run test:unit` or one at a time (`npx vitest run --project
 * vm`): `unit` (pure functions and components, no socket), `integration` (a real app, real sockets
 * or child processes on loopback) and `vm` (a real Linux kernel under QEMU; with
 * `REAL_KERNEL=required`, as `npm test` sets it, a machine without QEMU fails them instead of
 * skipping them). A new test file is `unit` unless it is named `*.integration.test.ts`, uses a VM
 * (add it to VM) or starts the app or a socket (add it to INTEGRATION).
 */
const VM = [
  "test/realKernel.integration.test.ts",
  "test/realKernelChannel.integration.test.ts",
  "test/realKernelDispose.integration.test.ts",
  "test/realKernelIdle.integration.test.ts",
  "test/realKernelStep.integration.test.ts",
  "test/realKernelTrace.integration.test.ts",
  "test/callTracerPlugin.integration.test.ts",
  "test/kernelReleases.integration.test.ts",
  "test/learnerRun.integration.test.ts",
];

const INTEGRATION = [
  "test/*.integration.test.ts",
  "test/backPressure.test.ts",
  "test/boundaries.test.ts",
  "test/connectionLimits.test.ts",
  "test/fairness.test.ts",
  "test/faults.test.ts",
  "test/fuzz.test.ts",
  "test/httpServing.test.ts",
  "test/kernelStepperFlow.test.ts",
  "test/lifecycle.test.ts",
  "test/portOccupier.test.ts",
  "test/procNetTcp.test.ts",
  "test/productionStart.test.ts",
  "test/security.test.ts",
  "test/sessions.test.ts",
  "test/shutdown.test.ts",
  "test/socketLimit.test.ts",
];

const ALL = ["test/**/*.test.ts", "test/**/*.test.tsx"];

export default defineConfig({
  // Components that show a listing's text read it as the page does (`virtual:listings`).
  plugins: [listingsPlugin()],
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests open real sockets; keep files in separate processes so fd counts stay exact.
    pool: "forks",
    // Vitest's default on a 2-core machine is one worker (cores − 1), which runs every file in turn;
    // most integration and VM files spend their time waiting on timers, sockets and a guest, so two
    // files at a time take the suite's Vitest part from ~300 s to well under it on the same machine.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ALL, exclude: [...INTEGRATION, ...VM] } },
      { extends: true, test: { name: "integration", include: INTEGRATION, exclude: VM } },
      // No retry: the boot that stopped before printing anything on clean-clone runs was two
      // processes packing one initramfs into one file (server/realKernel/cacheLock.ts).
      { extends: true, test: { name: "vm", include: VM } },
    ],
  },
});
