/**
 * The framing of GDB's remote serial protocol ("Remote Protocol" in the GDB manual, E.1
 * "Overview"): `$<data>#<2 hex digits of the sum of data's bytes mod 256>`; `}` escapes `#`, `$`,
 * `}` and `*` (the byte XOR 0x20); a reply may be run-length encoded (`X*<n>`: X repeated n - 29
 * more times). The receiver answers `+` (good) or `-` (resend) until no-ack mode is on. Ctrl-C
 * (0x03) outside a packet asks a running target to stop.
 */

export function checksum(data: Buffer): number {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) & 0xff;
  return sum;
}

const ESCAPED = new Set([0x23, 0x24, 0x7d, 0x2a]);

/** The bytes of one packet, ready to write. */
export function encodePacket(data: string): Buffer {
  const raw = Buffer.from(data, "latin1");
  const body: number[] = [];
  for (const byte of raw) {
    if (ESCAPED.has(byte)) body.push(0x7d, byte ^ 0x20);
    else body.push(byte);
  }
  const escaped = Buffer.from(body);
  const sum = checksum(escaped).toString(16).padStart(2, "0");
  return Buffer.concat([Buffer.from("$"), escaped, Buffer.from(`#${sum}`)]);
}

/** Undoes escapes and run-length encoding of a packet's body (checksum already verified). */
export function decodeBody(body: Buffer): string {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte === 0x7d) {
      out.push((body[++i] as number) ^ 0x20);
    } else if (byte === 0x2a && out.length > 0) {
      const repeat = (body[++i] as number) - 29;
      const last = out[out.length - 1] as number;
      for (let n = 0; n < repeat; n++) out.push(last);
    } else {
      out.push(byte);
    }
  }
  return Buffer.from(out).toString("latin1");
}

export type RspFrame =
  | { kind: "ack" }
  | { kind: "nak" }
  | { kind: "packet"; data: string }
  /** A packet whose checksum did not match: the receiver asks for it again. */
  | { kind: "corrupt" };

/**
 * Splits the byte stream from the stub into acks and packets; a packet split across chunks is kept
 * until its checksum arrives. Bytes outside a packet other than + and - are line noise and skipped.
 */
export class RspFramer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (frame: RspFrame) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let i = 0;
    while (i < this.pending.length) {
      const byte = this.pending[i] as number;
      if (byte === 0x2b) {
        this.onFrame({ kind: "ack" });
        i++;
      } else if (byte === 0x2d) {
        this.onFrame({ kind: "nak" });
        i++;
      } else if (byte === 0x24) {
        const end = this.findEnd(i + 1);
        if (end < 0 || end + 2 >= this.pending.length) break;
        const body = this.pending.subarray(i + 1, end);
        const sent = Number.parseInt(this.pending.subarray(end + 1, end + 3).toString("latin1"), 16);
        this.onFrame(
          checksum(body) === sent ? { kind: "packet", data: decodeBody(body) } : { kind: "corrupt" },
        );
        i = end + 3;
      } else {
        i++;
      }
    }
    this.pending = this.pending.subarray(i);
  }

  /** The index of the `#` that ends the packet body starting at `from` (an escaped `#` is `}` + 0x03). */
  private findEnd(from: number): number {
    for (let i = from; i < this.pending.length; i++) {
      const byte = this.pending[i];
      if (byte === 0x7d) i++;
      else if (byte === 0x23) return i;
    }
    return -1;
  }
}
