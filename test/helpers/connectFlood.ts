import net from "node:net";

export type FloodResult = { attempts: number; connected: number };

/**
 * Connect-and-close against a loopback port as fast as this process can, `concurrency` at a time,
 * each from one of 127.0.220.1–254 (so no single address runs out of ports), until `untilMs`
 * (performance.now()). Each connection closes the moment it connects, sending nothing.
 */
export async function connectAndCloseFlood(
  port: number,
  untilMs: number,
  concurrency = 200,
): Promise<FloodResult> {
  const result: FloodResult = { attempts: 0, connected: 0 };
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port, localAddress: `127.0.220.${(i % 254) + 1}` });
      socket.on("error", () => {});
      socket.once("connect", () => {
        result.connected++;
        socket.destroy();
      });
      socket.once("close", () => resolve());
    });
  const worker = async (w: number) => {
    for (let i = w; performance.now() < untilMs; i += concurrency) {
      result.attempts++;
      await one(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return result;
}
