/**
 * What `npm run test:deploy` asks of a running container or pod, from outside it, as a browser
 * would: /healthz and /readyz answer, a Node-lab lesson runs over the WebSocket (server, then
 * client: 1024 bytes received), and with --real-kernel a fixed pair runs in the real kernel in a
 * VM, on the first pick without a kbuild (the image carries it prebuilt).
 *   tsx scripts/deploy/checkLab.ts http://127.0.0.1:4440 [--real-kernel]
 */
import WebSocket from "ws";
import { type ClientCommand, type ServerEvent, ServerEventSchema } from "../../shared/protocol/messages.ts";

const [url, flag] = process.argv.slice(2);
if (!url) throw new Error("usage: checkLab.ts <app url> [--real-kernel]");
const BOOT_MS = 240_000;

async function main(): Promise<void> {
  const health = await fetch(`${url}/healthz`);
  if (!health.ok) throw new Error(`/healthz answered ${health.status}`);
  const ready = await fetch(`${url}/readyz`);
  if (!ready.ok) throw new Error(`/readyz answered ${ready.status}: ${await ready.text()}`);
  const started = performance.now();
  await nodeLesson();
  console.log(`node lab: the lesson ran over the WebSocket in ${Math.round(performance.now() - started)} ms`);
  if (flag === "--real-kernel") {
    const run = await realKernelRun();
    console.log(
      `real kernel: fixed pair in a VM: Start server → "listen ok" ${run.serverMs} ms (the VM's boot included), Start client → both live ${run.clientMs} ms; engine went ${run.statuses.join(" → ")}`,
    );
  }
}

async function nodeLesson(): Promise<void> {
  const lab = await Lab.open();
  lab.send({ type: "module.load", module: "server" });
  await lab.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter", 10_000);
  lab.send({ type: "module.load", module: "client" });
  await lab.waitFor((e) => e.type === "module.state" && e.module === "server" && e.state === "live", 10_000);
  const received = lab.events.find(
    (e) => e.type === "step" && e.step === "kernel_recvmsg" && e.phase === "exit",
  );
  if (received?.type !== "step" || received.result !== 1024) {
    throw new Error(`kernel_recvmsg did not return 1024: ${JSON.stringify(received)}`);
  }
  lab.close();
}

/** The first pick of the real kernel, timed: Start server (the VM boots then) and Start client. */
async function realKernelRun(): Promise<{ serverMs: number; clientMs: number; statuses: string[] }> {
  const lab = await Lab.open();
  lab.send({ type: "engine.select", engine: "real-kernel" });
  lab.send({ type: "variant.select", variant: "fixed" });
  await lab.waitFor((e) => e.type === "engine" && e.status === "available", 30_000);
  const serverStarted = performance.now();
  lab.send({ type: "module.load", module: "server" });
  await lab.waitFor((e) => e.type === "printk" && e.text.startsWith("server:listen ok"), BOOT_MS);
  const serverMs = Math.round(performance.now() - serverStarted);
  const clientStarted = performance.now();
  lab.send({ type: "module.load", module: "client" });
  await lab.waitFor((e) => e.type === "module.state" && e.module === "client" && e.state === "live", BOOT_MS);
  await lab.waitFor((e) => e.type === "module.state" && e.module === "server" && e.state === "live", BOOT_MS);
  const clientMs = Math.round(performance.now() - clientStarted);
  const statuses = lab.events.flatMap((e) => (e.type === "engine" ? [e.status] : []));
  if (statuses.includes("building"))
    throw new Error("the first pick ran kbuild: the image's prebuilt pair was not used");
  lab.close();
  return { serverMs, clientMs, statuses: [...new Set(statuses)] };
}

class Lab {
  readonly events: ServerEvent[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => this.events.push(ServerEventSchema.parse(JSON.parse(String(data)))));
  }

  static async open(): Promise<Lab> {
    const ws = new WebSocket(`${url!.replace(/^http/, "ws")}/ws`);
    const lab = new Lab(ws);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    await lab.waitFor((e) => e.type === "hello", 10_000);
    return lab;
  }

  send(command: ClientCommand): void {
    this.ws.send(JSON.stringify(command));
  }

  /** Polls the events that came; never a fixed sleep. */
  async waitFor(match: (e: ServerEvent) => boolean, timeoutMs: number): Promise<ServerEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (performance.now() > deadline || this.ws.readyState === WebSocket.CLOSED) {
        const tail = this.events.slice(-15).map((e) => JSON.stringify(e).slice(0, 200));
        throw new Error(`no matching event within ${timeoutMs} ms; the last ones:\n${tail.join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.ws.close();
  }
}

main().catch((err: unknown) => {
  console.error(`deploy check failed at ${url}: ${(err as Error).message}`);
  process.exit(1);
});
