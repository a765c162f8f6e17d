import net from "node:net";

/**
 * A WebSocket client that completes the handshake and then stops reading its socket, as a frozen
 * tab or a hostile script would, while it may still send commands and unsolicited pongs (which
 * keep a heartbeat satisfied). Raw frames over `net`, so nothing reads behind the test's back.
 * `drain` reads at last what the server left queued: its frames in order, the close frame's code.
 */
export class StalledClient {
  private received: Buffer[] = [];
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.once("close", () => (this.ended = true));
  }

  /** `localAddress` picks the client's own loopback address (any of 127.0.0.0/8 reaches this machine). */
  static async open(appUrl: string, localAddress = "127.0.0.1"): Promise<StalledClient> {
    const { hostname, port, host } = new URL(appUrl);
    const socket = net.connect({ host: hostname, port: Number(port), localAddress });
    const client = new StalledClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("error", reject);
    });
    const key = Buffer.from("stalled-client!!").toString("base64");
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise<void>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        socket.off("data", onData);
        // From here on nothing reads: what follows the response stays queued for drain().
        socket.pause();
        if (!head.subarray(0, end).toString().startsWith("HTTP/1.1 101")) {
          reject(new Error(`upgrade refused: ${head.subarray(0, end).toString().split("\r\n")[0]}`));
          return;
        }
        client.received.push(head.subarray(end + 4));
        resolve();
      };
      socket.on("data", onData);
      socket.once("close", () => reject(new Error("closed during the handshake")));
    });
    return client;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  send(text: string): void {
    if (!this.ended) this.socket.write(maskedFrame(0x1, Buffer.from(text)));
  }

  /** An unsolicited pong (RFC 6455 allows it as a heartbeat): a ws server counts it as alive. */
  pong(): void {
    if (!this.ended) this.socket.write(maskedFrame(0xa, Buffer.alloc(0)));
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Reads everything queued for it until the server closes the connection. */
  async drain(): Promise<{ texts: string[]; closeCode?: number; closeReason?: string }> {
    this.socket.on("data", (chunk: Buffer) => this.received.push(chunk));
    this.socket.resume();
    await this.closed;
    return parseServerFrames(Buffer.concat(this.received));
  }
}

function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([7, 3, 5, 1]);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([0x80 | opcode, 0x80 | payload.length]);
  else {
    header = Buffer.from([0x80 | opcode, 0x80 | 126, 0, 0]);
    header.writeUInt16BE(payload.length, 2);
  }
  return Buffer.concat([header, mask, masked]);
}

/** The server's unmasked frames: text payloads in order, and the close frame's code and reason. */
function parseServerFrames(bytes: Buffer): { texts: string[]; closeCode?: number; closeReason?: string } {
  const texts: string[] = [];
  let closeCode: number | undefined;
  let closeReason: string | undefined;
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (at + header + length > bytes.length) break;
    const payload = bytes.subarray(at + header, at + header + length);
    if (opcode === 0x1) texts.push(payload.toString());
    if (opcode === 0x8 && payload.length >= 2) {
      closeCode = payload.readUInt16BE(0);
      closeReason = payload.subarray(2).toString();
    }
    at += header + length;
  }
  return { texts, closeCode, closeReason };
}
