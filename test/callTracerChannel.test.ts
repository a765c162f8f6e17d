import { describe, expect, it } from "vitest";
import { fakeDuplex } from "./helpers/fakeDuplex.ts";
import {
  CallTracerChannel,
  parseTracedEvent,
  type TracedEvent,
} from "../server/realKernel/callTracer/callTracerChannel.ts";
import { GuestMemorySnapshot } from "../server/realKernel/callTracer/guestMemorySnapshot.ts";
import { readRanges } from "../server/realKernel/gdb/callFrameReader.ts";

const tick = () => new Promise((r) => setImmediate(r));

/** The 16 registers of an event line: rax = 1, rbx = 2, … r15 = 16, in hex. */
const REGISTERS = Array.from({ length: 16 }, (_, i) => (i + 1).toString(16)).join(" ");

describe("the call tracer's lines", () => {
  it("reads a call's site, its 16 registers in the gdbstub's order, and each copied range", () => {
    const event = parseTracedEvent(
      `E ffffffffc0001234 ${REGISTERS} m ffff888001000000 0102030405 m ffffc90000001000 ff`,
    ) as TracedEvent;
    expect(event.kind).toBe("call");
    expect(event.at).toBe(0xffffffffc0001234n);
    expect(event.registers).toMatchObject({
      rip: 0xffffffffc0001234n,
      rax: 1n,
      rcx: 3n,
      rdi: 6n,
      rsp: 8n,
      r8: 9n,
      r15: 16n,
    });
    expect(event.memory.slice(0xffff888001000001n, 3)).toEqual(Buffer.from([2, 3, 4]));
    expect(event.memory.slice(0xffffc90000001000n, 1)).toEqual(Buffer.from([0xff]));
  });

  it("reads a return, and a range whose first page could not be read as empty", () => {
    const event = parseTracedEvent(
      `R ffffffffc0001239 ${REGISTERS} m ffff888001000000  m ffff888002000000 aa`,
    );
    expect(event?.kind).toBe("return");
    expect(event?.memory.slice(0xffff888001000000n, 1)).toBeUndefined();
    expect(event?.memory.slice(0xffff888002000000n, 1)).toEqual(Buffer.from([0xaa]));
  });

  it("takes no line that is not an event, or one cut short", () => {
    expect(parseTracedEvent("ok 3")).toBeUndefined();
    expect(parseTracedEvent("E ffffffffc0001234 1 2 3")).toBeUndefined();
  });
});

describe("guest memory as the call tracer copied it", () => {
  it("serves a read inside a copied range and refuses one that runs past it, as a bad pointer on the stub", async () => {
    const memory = new GuestMemorySnapshot([{ at: 0x1000n, bytes: Buffer.from([1, 2, 3, 4]) }]);
    await expect(memory.readMemory(0x1001n, 3)).resolves.toEqual(Buffer.from([2, 3, 4]));
    await expect(memory.readMemory(0x1002n, 3)).rejects.toThrow(/not copied/);
  });

  it("reads two close ranges each on its own, not as one span with the gap between them", async () => {
    const memory = new GuestMemorySnapshot([
      { at: 0x1000n, bytes: Buffer.from([1, 2]) },
      { at: 0x1010n, bytes: Buffer.from([3, 4]) },
    ]);
    const [a, b] = await readRanges(memory, [
      { at: 0x1000n, length: 2 },
      { at: 0x1010n, length: 2 },
    ]);
    expect([a && [...a], b && [...b]]).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe("the app's end of the call tracer", () => {
  it("sends the sites and the reports switch, each settled by the plugin's ok for its number", async () => {
    const { port, written, answer } = fakeDuplex();
    const channel = new CallTracerChannel(port);
    let applied = false;
    const sites = channel
      .setSites([
        { at: 0xffffffffc0001000n, returnsTo: 0xffffffffc0001005n },
        { at: 0xffffffffc0002000n, returnsTo: 0xffffffffc0002005n, bufferArgument: 2 },
      ])
      .then(() => {
        applied = true;
      });
    const reporting = channel.setReporting(false);
    await tick();
    expect(written).toEqual([
      "sites 1 ffffffffc0001000:ffffffffc0001005:-1,ffffffffc0002000:ffffffffc0002005:2\n",
      "report 2 off\n",
    ]);
    answer("ok 2\n");
    await reporting;
    expect(applied).toBe(false);
    answer("ok 1\n");
    await sites;
    expect(applied).toBe(true);
  });

  it("hands each event line to its listener, lines split across chunks included", async () => {
    const { port, answer } = fakeDuplex();
    const channel = new CallTracerChannel(port);
    const heard: TracedEvent[] = [];
    channel.listen((event) => heard.push(event));
    const line = `E ffffffffc0001234 ${REGISTERS} m ffff888001000000 0102\n`;
    answer(line.slice(0, 20));
    answer(line.slice(20));
    await tick();
    expect(heard.map((e) => e.at)).toEqual([0xffffffffc0001234n]);
  });

  it("fails what is still waiting when the socket closes (the VM ended), and every later command", async () => {
    const { port } = fakeDuplex();
    const channel = new CallTracerChannel(port);
    const waiting = channel.setReporting(true);
    port.destroy();
    await expect(waiting).rejects.toThrow(/gone/);
    await expect(channel.setReporting(true)).rejects.toThrow(/gone/);
    expect(channel.open).toBe(false);
  });
});
