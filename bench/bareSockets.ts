import net from "node:net";
import { performance } from "node:perf_hooks";

const MESSAGE = Buffer.alloc(1024, 1);

/**
 * The floor the lab is held to: the lesson's socket work with nothing around it. A listener on
 * 127.0.0.1 (backlog 10, as the listing), a client that connects and sends 1024 bytes of 0x01, the
 * server reading them and releasing the listener and the connection. It finishes where the lab's
 * lesson does: the server has read the bytes and closed both sockets, and the client's write has
 * completed. Resolves with the elapsed ms.
 */
export function bareLesson(): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const server = net.createServer({ pauseOnConnect: true });
    let received = 0;
    let released = false;
    let written = false;
    const finish = () => {
      if (released && written) resolve(performance.now() - start);
    };
    server.on("error", reject);
    server.on("connection", (conn) => {
      conn.on("error", reject);
      conn.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received < MESSAGE.length) return;
        server.close();
        conn.destroy();
        released = true;
        finish();
      });
      conn.resume();
    });
    server.listen({ host: "127.0.0.1", port: 0, backlog: 10, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      const client = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true }, () => {
        client.write(MESSAGE, (err) => {
          if (err) return reject(err);
          written = true;
          finish();
        });
      });
      client.on("error", reject);
      // Unlike the published client.c, this one closes once the server hangs up: no fd piles up.
      client.on("end", () => client.destroy());
    });
  });
}
