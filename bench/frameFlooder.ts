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
let timer: ReturnType<typeof setTimeout> | undefined;
const pump = () => {
  while (ws.readyState === ws.OPEN && ws.bufferedAmount < 4 * MAX_FRAME_BYTES) {
    ws.send(frame);
    sent++;
  }
  if (ws.readyState === ws.OPEN) timer = setTimeout(pump, 1);
};
ws.once("open", () => {
  process.stdout.write("open\n");
  pump();
});
process.once("SIGTERM", () => {
  clearTimeout(timer);
  ws.terminate();
  process.stdout.write(`sent ${sent}\n`, () => process.exit(0));
});
