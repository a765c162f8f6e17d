import { afterEach, beforeEach } from "vitest";
import { type AppOptions, type RunningApp, startApp } from "../../server/app.ts";
import { LabClient } from "./labClient.ts";

/**
 * A fresh app per test (HTTP and lab ports chosen by the kernel) and the lab clients a test opens,
 * all closed after it: the set-up every integration test over a real WebSocket shares.
 */
export function labAppPerTest(options: AppOptions = { port: 0, labPort: 0 }) {
  let app: RunningApp | undefined;
  const clients: LabClient[] = [];
  beforeEach(async () => {
    app = await startApp(options);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await app?.close();
  });
  return {
    get app(): RunningApp {
      if (!app) throw new Error("the app starts in beforeEach");
      return app;
    },
    /** Replaces this test's app with one started with other options. */
    async restart(next: AppOptions): Promise<void> {
      await app?.close();
      app = await startApp(next);
    },
    async open(): Promise<LabClient> {
      const client = await LabClient.open(this.app.url);
      clients.push(client);
      return client;
    },
  };
}

export function labPortOf(lab: LabClient): number {
  const hello = lab.of("hello")[0];
  if (!hello) throw new Error("no hello yet");
  return hello.labPort;
}
