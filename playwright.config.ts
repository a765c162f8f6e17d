import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 4319);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  // The whole gate (npm test sets REAL_KERNEL=required) retries a test once, as CI does: a VM's
  // guest scheduler orders some calls differently from run to run. A single spec run does not.
  retries: process.env.CI || process.env.REAL_KERNEL === "required" ? 1 : 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "on-first-retry",
    // Tall enough that the printk pane shows a whole run without scrolling.
    viewport: { width: 1400, height: 1600 },
    launchOptions: {
      // Debian's Chromium: Playwright may not download a browser of its own on these machines.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // Its own build folder and lab ports, so several e2e runs on one machine do not collide.
    command: `OUT_DIR=../dist/e2e-${PORT} npm run build && npx tsx server/main.ts`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    // Every spec is a learner on 127.0.0.1, two at a time: the per-address VM share (1 by default)
    // would queue one worker's real-kernel spec behind the other's.
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      LAB_PORT: "0",
      STATIC_DIR: `dist/e2e-${PORT}`,
      REAL_KERNEL_VMS_PER_ADDRESS: "4",
      // A learner's build is capped at 30 s; on this shared 2-core machine, with other suites
      // running, a clean build of the pair takes longer than that.
      LEARNER_BUILD_WALL_MS: "120000",
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
