/**
 * Screenshots of the workbench, as a person sees it: the app started from a production build, a
 * lab run in step mode to the moment the client has connected and the server is about to accept,
 * in both themes at 1440×900, 1280×720 and 390×844.
 *
 *   OUT_DIR=../dist/shots npx vite build && npx tsx scripts/workbench-screenshots.ts dist/shots /tmp/shots
 *
 * The 1440×900 pair is what docs/workbench-*.png and the README show.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import playwrightConfig from "../playwright.config.ts";

const [staticDir = "dist/shots", outDir = "/tmp/shots"] = process.argv.slice(2);
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
] as const;

function startApp(): Promise<{ url: string; child: ChildProcess }> {
  // Its own process group, so stopping it stops tsx's node child too.
  const child = spawn("node_modules/.bin/tsx", ["server/main.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LAB_PORT: "0", STATIC_DIR: staticDir },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the app exited (${code})`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(chunk.toString())?.[0];
      if (url) resolve({ url, child });
    });
  });
}

async function runToAccept(page: Page, narrow: boolean): Promise<void> {
  if (narrow) await page.getByRole("button", { name: "Code", exact: true }).click();
  await page.getByRole("button", { name: "Step mode" }).click();
  await page.getByRole("button", { name: /Start server/ }).click();
  const step = (module: string) => page.getByRole("button", { name: `Step ${module}`, exact: true });
  const words = (module: string) =>
    page.getByRole("region", { name: `${module} module` }).locator(".module-state .state-words");
  for (const next of ["bind", "listen", "accept"]) {
    await step("server").click();
    await words("server").filter({ hasText: next }).waitFor();
  }
  await step("server").click();
  await words("server").filter({ hasText: "blocked in accept" }).waitFor();
  await page.getByRole("button", { name: /Start client/ }).click();
  for (const next of ["connect", "kernel_sendmsg"]) {
    await step("client").click();
    await words("client").filter({ hasText: next }).waitFor();
  }
}

const { url, child } = await startApp();
const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
mkdirSync(outDir, { recursive: true });
try {
  for (const size of SIZES) {
    for (const theme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport: size, colorScheme: theme });
      const page = await context.newPage();
      await page.goto(`${url}/?pace=instant`);
      await page.getByText(/your lab uses port \d+/).waitFor();
      await runToAccept(page, size.width < 1024);
      await page.waitForTimeout(300);
      const file = `${outDir}/workbench-${size.width}x${size.height}-${theme}.png`;
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  if (child.pid) process.kill(-child.pid, "SIGTERM");
}
