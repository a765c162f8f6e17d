/**
 * P9's frame flood, run as a process of its own (`node --import tsx bench/frameFlooder.ts <ws url>`):
 * one session from 127.0.0.3 sends 64 KiB text frames, the most a frame may be, as fast as its
 * socket takes them. In the bench's own process its masking would share the event loop that times
 * the bystander. Prints the number of frames sent when it gets SIGTERM.
 */
import WebSocket from "ws";
import { MAX_FRAME_BYTES } from "../shared/protocol/messages.ts";

const url = process.argv[2];
if (!url) throw new Error("usage: frameFlooder.ts <ws url>");
const ws = new WebSocket(url, { localAddress: "127.0.0.3" });
ws.on("error", () => {});
const frame = JSON.stringify({ type: "module.load", module: "x".repeat(MAX_FRAME_BYTES - 100) });
let sent = 0;
const started = process.cpuUsage();
const startedAt = performance.now();
/**
 * Each frame is sent when the one before it is written to the socket (its callback), as fast as
 * the socket takes them without a timer polling it: the flooder's own CPU stays off the cores the
 * app and the bystander share with it. Four frames in flight keep the socket's buffer full.
 */
const pump = () => {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(frame, (err) => {
    if (err) return;
    sent++;
    pump();
  });
};
ws.once("open", () => {
  process.stdout.write("open\n");
  for (let i = 0; i < 4; i++) pump();
});
process.once("SIGTERM", () => {
  ws.terminate();
  const cpu = process.cpuUsage(started);
  const share = (cpu.user + cpu.system) / 1000 / (performance.now() - startedAt);
  process.stdout.write(`sent ${sent} cpu ${share.toFixed(3)}\n`, () => process.exit(0));
});
