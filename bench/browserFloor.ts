import type { Browser } from "@playwright/test";
import { WS_PATH } from "../shared/protocol/messages.ts";
import { median } from "./stats.ts";

/**
 * What Chromium itself allows a click: the same request over the lab's WebSocket (a command the
 * server answers at once) sent from a click handler and from a timer, on a page with nothing else
 * on it. After an input event Chromium commits the input's own frame before it runs other tasks,
 * so the reply to a click is handled a frame boundary later than the reply to a timer; a click's
 * highlight can then be painted at the following frame at the earliest.
 */
export async function clickReplyFloor(
  browser: Browser,
  appUrl: string,
  rounds: number,
): Promise<{ click: number; timer: number }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // The probe page is the app's own /healthz: same origin for the WebSocket, and no app running.
    await page.addInitScript({
      content: `window.addEventListener("DOMContentLoaded", () => {
        const ws = new WebSocket(location.origin.replace("http", "ws") + ${JSON.stringify(WS_PATH)});
        const rtts = { click: [], timer: [] };
        let sentAt = 0, kind = "";
        ws.onmessage = () => { if (sentAt) { rtts[kind].push(performance.now() - sentAt); sentAt = 0; } };
        const send = (k) => { kind = k; sentAt = performance.now(); ws.send(JSON.stringify({ type: "variant.select", variant: "published" })); };
        const button = document.createElement("button");
        button.textContent = "Send";
        button.style.cssText = "position:fixed;top:10px;left:10px;z-index:1";
        button.onclick = () => send("click");
        document.body.prepend(button);
        window.benchFloor = { rtts, timerSend: () => setTimeout(() => send("timer"), 0), ready: () => ws.readyState === 1 };
      });`,
    });
    await page.goto(`${appUrl}/healthz`);
    await page.waitForFunction(() =>
      (window as unknown as { benchFloor?: { ready(): boolean } }).benchFloor?.ready(),
    );
    for (let i = 0; i < rounds; i++) {
      await page.getByRole("button", { name: "Send" }).click();
      await page.waitForTimeout(50);
      await page.evaluate(() =>
        (window as unknown as { benchFloor: { timerSend(): void } }).benchFloor.timerSend(),
      );
      await page.waitForTimeout(50);
    }
    const rtts = await page.evaluate(
      () =>
        (window as unknown as { benchFloor: { rtts: { click: number[]; timer: number[] } } }).benchFloor.rtts,
    );
    return { click: median(rtts.click), timer: median(rtts.timer) };
  } finally {
    await context.close();
  }
}
