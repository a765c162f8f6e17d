import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseKallsyms } from "../server/realKernel/gdb/kernelSymbols.ts";
import { parseStopReply, RspClient, type RspTransport } from "../server/realKernel/gdb/rspClient.ts";
import {
  checksum,
  decodeBody,
  encodePacket,
  type RspFrame,
  RspFramer,
} from "../server/realKernel/gdb/rspPackets.ts";

/**
 * A real session with QEMU 7.2's gdbstub (TCG, Debian's 6.1 cloud kernel with nokaslr), recorded
 * byte for byte at the socket by the lab's own client: connect (QEMU stops the VM and says "T02"
 * unasked), qSupported, ?, g, m of jiffies_64, Z0 on sock_create_kern and do_init_module, c until
 * insmod reaches do_init_module, a step off that breakpoint, c to sock_create_kern, the return
 * address read from the stack, s, Ctrl-C while running, D.
 */
const recording = JSON.parse(readFileSync("test/fixtures/gdbstub-qemu-7.2-exchange.json", "utf8")) as {
  symbols: Record<string, string>;
  exchange: Array<["out" | "in", string]>;
};
const symbol = (name: string) => BigInt(`0x${recording.symbols[name]}`);

/** Plays the stub's side of a recorded exchange: each write must be the next recorded one. */
class ReplayTransport extends EventEmitter implements RspTransport {
  private next = 0;
  readonly mismatches: string[] = [];
  destroyed = false;

  constructor(private readonly script: Array<["out" | "in", string]>) {
    super();
  }

  /** The client writes what one turn asked for at once: one write may hold several recorded ones. */
  write(bytes: Buffer): void {
    let got = bytes.toString("latin1");
    const replies: string[] = [];
    while (got.length > 0) {
      const expected = this.script[this.next];
      if (expected?.[0] !== "out" || !got.startsWith(expected[1])) {
        this.mismatches.push(
          `#${this.next}: sent ${JSON.stringify(got)}, recorded ${JSON.stringify(expected)}`,
        );
        return;
      }
      got = got.slice(expected[1].length);
      this.next++;
      while (this.script[this.next]?.[0] === "in")
        replies.push((this.script[this.next++] as [string, string])[1]);
    }
    setImmediate(() => {
      for (const reply of replies) this.emit("data", Buffer.from(reply, "latin1"));
    });
  }

  get finished(): boolean {
    return this.next === this.script.length;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

/** A stub that answers nothing at all, or whatever the test pushes. */
class SilentTransport extends EventEmitter implements RspTransport {
  readonly written: string[] = [];
  /** Everything written so far, as the stub would read it. */
  get sent(): string {
    return this.written.join("");
  }
  destroyed = false;
  write(bytes: Buffer): void {
    this.written.push(bytes.toString("latin1"));
  }
  reply(text: string): void {
    this.emit("data", Buffer.from(text, "latin1"));
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** One turn of the event loop: the client writes what a turn asked for at its end. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("GDB remote serial protocol: packets", () => {
  it("frames a packet with the mod-256 sum of its bytes as two hex digits", () => {
    expect(encodePacket("g").toString()).toBe("$g#67");
    expect(encodePacket("mffffffff82a079c0,8").toString()).toBe("$mffffffff82a079c0,8#ff");
    expect(checksum(Buffer.from("OK"))).toBe(0x9a);
  });

  it("escapes #, $, } and * with } and XOR 0x20, and decodes them back", () => {
    const packet = encodePacket("a#b$c}d*e");
    expect(packet.toString("latin1")).toBe(`$a}\x03b}\x04c}]d}\x0ae#${packet.toString("latin1").slice(-2)}`);
    const body = packet.subarray(1, packet.length - 3);
    expect(decodeBody(body)).toBe("a#b$c}d*e");
  });

  it("expands run-length encoding: X*<n> repeats X n - 29 more times", () => {
    // "0* " = '0' then ' ' (32) - 29 = 3 more zeros.
    expect(decodeBody(Buffer.from("0* 1"))).toBe("00001");
  });

  it("keeps a packet split across chunks until its checksum arrives, and tells acks from packets", () => {
    const frames: RspFrame[] = [];
    const framer = new RspFramer((f) => frames.push(f));
    framer.push(Buffer.from("+$T05thr"));
    expect(frames).toEqual([{ kind: "ack" }]);
    framer.push(Buffer.from("ead:01;#0"));
    expect(frames).toHaveLength(1);
    framer.push(Buffer.from("7-"));
    expect(frames).toEqual([{ kind: "ack" }, { kind: "packet", data: "T05thread:01;" }, { kind: "nak" }]);
  });

  it("reports a packet whose checksum does not match as corrupt", () => {
    const frames: RspFrame[] = [];
    new RspFramer((f) => frames.push(f)).push(Buffer.from("$OK#00"));
    expect(frames).toEqual([{ kind: "corrupt" }]);
  });

  it("reads stop replies: a signal with its thread, a watchpoint's with its address, an exit, a kill", () => {
    expect(parseStopReply("T05thread:01;")).toEqual({ kind: "signal", signal: 5, thread: "01" });
    // QEMU's stop at a read watchpoint, as it words it (gdb_vm_state_change).
    expect(parseStopReply("T05thread:01;rwatch:ffffc9000059bc50;")).toEqual({
      kind: "signal",
      signal: 5,
      thread: "01",
      watch: 0xffffc9000059bc50n,
    });
    expect(parseStopReply("S02")).toEqual({ kind: "signal", signal: 2 });
    expect(parseStopReply("W00")).toEqual({ kind: "exited", code: 0 });
    expect(parseStopReply("X09")).toEqual({ kind: "terminated", signal: 9 });
    expect(parseStopReply("OK")).toBeUndefined();
  });

  it("reads the guest's /proc/kallsyms lines, the first symbol of a name winning", () => {
    const symbols = parseKallsyms([
      "ffffffff8177ffb0 T sock_create_kern",
      "ffffffff821083c0 D inet_stream_ops",
      "ffffffff81000000 t sock_create_kern",
      "not a symbol line",
    ]);
    expect(symbols.get("sock_create_kern")).toBe(0xffffffff8177ffb0n);
    expect(symbols.get("inet_stream_ops")).toBe(0xffffffff821083c0n);
    expect(symbols.size).toBe(2);
  });
});

describe("GDB remote serial protocol: the client against a recorded QEMU 7.2 session", () => {
  it("replays the whole session byte for byte and reads registers, memory and stops as QEMU sent them", async () => {
    const transport = new ReplayTransport(recording.exchange);
    const client = new RspClient(transport);
    // QEMU's unasked "T02" (the VM stopped for the debugger) is not taken as qSupported's answer.
    const features = await client.handshake();
    expect(features.get("PacketSize")).toBe("1000");
    expect(features.get("qXfer:features:read")).toBe(true);
    expect(await client.haltReason()).toEqual({ kind: "signal", signal: 5, thread: "01" });
    expect((await client.readRegisters()).rip).toBe(0xffffffff81a17a0bn);
    const jiffies = await client.readU64(symbol("jiffies_64"));
    // jiffies start 300 s before wrapping (INITIAL_JIFFIES): a few seconds after boot here.
    expect(jiffies).toBeGreaterThan(0xfffedb08n);
    await client.setBreakpoint(symbol("sock_create_kern"));
    await client.setBreakpoint(symbol("do_init_module"));

    expect(await client.resume()).toEqual({ kind: "signal", signal: 5, thread: "01" });
    const atInit = await client.readRegisters();
    expect(atInit.rip).toBe(symbol("do_init_module"));
    // Its argument, the struct module *, is a module address.
    expect(atInit.rdi >> 32n).toBe(0xffffffffn);
    expect(atInit.rdi).toBeGreaterThanOrEqual(0xffffffffc0000000n);
    // Off the breakpoint by one instruction with it lifted, then on to the next one.
    await client.removeBreakpoint(atInit.rip);
    await client.step();
    await client.setBreakpoint(atInit.rip);
    await client.resume();
    const atCall = await client.readRegisters();
    expect(atCall.rip).toBe(symbol("sock_create_kern"));
    const returnAddress = await client.readU64(atCall.rsp);
    expect(returnAddress).toBeGreaterThanOrEqual(0xffffffffc0000000n);

    await client.removeBreakpoint(symbol("sock_create_kern"));
    await client.removeBreakpoint(symbol("do_init_module"));
    for (let i = 0; i < 2; i++) {
      await client.step();
      await client.readRegisters();
    }
    const running = client.resume();
    client.interrupt();
    expect(await running).toEqual({ kind: "signal", signal: 2, thread: "01" });
    await client.detach();
    expect(transport.mismatches).toEqual([]);
    expect(transport.finished).toBe(true);
    expect(transport.destroyed).toBe(true);
  });
});

describe("GDB remote serial protocol: a stub that misbehaves", () => {
  it("gives up on a request the stub does not answer within the timeout, and fails the requests behind it", async () => {
    vi.useFakeTimers();
    const transport = new SilentTransport();
    const client = new RspClient(transport, 5000);
    const first = client.request("g");
    const second = client.request("?");
    const failures = Promise.allSettled([first, second]);
    await vi.advanceTimersByTimeAsync(5001);
    const [a, b] = await failures;
    expect(a.status === "rejected" && String(a.reason)).toMatch(/did not answer "g" within 5000 ms/);
    expect(b.status).toBe("rejected");
    expect(client.closed).toBe(true);
    expect(transport.destroyed).toBe(true);
  });

  it("waits for a resume's stop however long the guest runs (no timeout), and fails it when the connection closes", async () => {
    vi.useFakeTimers();
    const transport = new SilentTransport();
    const client = new RspClient(transport, 5000);
    const closed = vi.fn();
    client.onClose(closed);
    const running = client.resume();
    const outcome = running.then(
      () => "stopped",
      (err: Error) => err.message,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(closed).not.toHaveBeenCalled();
    transport.emit("close");
    expect(await outcome).toMatch(/closed the connection/);
    expect(closed).toHaveBeenCalledOnce();
  });

  it("sends a packet again when the stub answers -, and asks again (-) for a packet with a bad checksum", async () => {
    const transport = new SilentTransport();
    const client = new RspClient(transport);
    const reply = client.request("g");
    await turn();
    expect(transport.sent).toBe("$g#67");
    transport.reply("-");
    await turn();
    expect(transport.sent).toBe("$g#67$g#67");
    transport.reply("+$0102#00");
    await turn();
    expect(transport.sent).toBe("$g#67$g#67-");
    transport.reply("$0102#c3");
    expect(await reply).toBe("0102");
    await turn();
    expect(transport.sent).toBe("$g#67$g#67-+");
  });

  it("turns an E NN answer into an error naming the request", async () => {
    const transport = new SilentTransport();
    const client = new RspClient(transport);
    const read = client.readMemory(0n, 8);
    transport.reply("+$E14#aa");
    await expect(read).rejects.toThrow(/m0,8 failed: E14/);
  });
});

describe("GDB remote serial protocol: requests made together", () => {
  it("go out at once, answered in order; nothing goes behind a resume until its stop, not even an ack", async () => {
    const transport = new SilentTransport();
    const client = new RspClient(transport);
    const write = client.writeMemory(0x1000n, Buffer.from([1, 2]));
    const resumed = client.resume(0x2000n);
    const after = client.request("g");
    await turn();
    // The write and the resume went out together, in one write; "g" waits for the stop (a byte would stop the VM).
    expect(transport.written).toHaveLength(1);
    expect(transport.sent).toMatch(/^\$M1000,2:0102#..\$c2000#..$/);
    transport.reply(`+${encodePacket("OK").toString("latin1")}+`);
    await write;
    await turn();
    // No "+" for the write's answer: the guest runs by then, and QEMU would take it for Ctrl-C.
    expect(transport.written).toHaveLength(1);
    transport.reply(encodePacket("T05thread:01;").toString("latin1"));
    expect(await resumed).toEqual({ kind: "signal", signal: 5, thread: "01" });
    await turn();
    // The stop's "+" and the "g" behind it go out together.
    expect(transport.written.slice(1)).toEqual([expect.stringMatching(/^\+\$g#..$/)]);
    transport.reply(`+${encodePacket("00").toString("latin1")}`);
    expect(await after).toBe("00");
  });
});
