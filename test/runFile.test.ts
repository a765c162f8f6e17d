import { describe, expect, it } from "vitest";
import type { LabEvent } from "../shared/protocol/messages.ts";
import { MAX_RUN_FILE_BYTES, readRunFile, writeRunFile } from "../shared/protocol/runFile.ts";

const events: LabEvent[] = [
  { type: "console", seq: 1, t: 0.001, text: "$ insmod client.ko" },
  { type: "module.state", seq: 2, t: 0.002, module: "client", state: "loading", variant: "published" },
  {
    type: "step",
    seq: 3,
    t: 0.003,
    module: "client",
    variant: "published",
    step: "connect",
    phase: "exit",
    cLine: 30,
    tsLine: 20,
    result: -111,
    errno: "ECONNREFUSED",
  },
];
const run = {
  appVersion: "0.1.0",
  date: "2026-11-30T15:00:00.000Z",
  variant: "published" as const,
  engine: "node" as const,
  events,
};
const read = (text: string) => readRunFile(text, new TextEncoder().encode(text).length);

describe("run files", () => {
  it("read back what was written, events unchanged", () => {
    const reading = read(writeRunFile(run));
    expect(reading).toEqual({ ok: true, run: { format: "kernel-socket-lab/run", version: 1, ...run } });
  });

  it("refuse a file over 5 MiB before reading it", () => {
    expect(readRunFile("{}", MAX_RUN_FILE_BYTES + 1)).toMatchObject({ ok: false, reason: "too-big" });
  });

  it("refuse text that is not JSON", () => {
    expect(read('{"format": ')).toMatchObject({ ok: false, reason: "not-json" });
  });

  it("refuse JSON that is not a run of this lab", () => {
    expect(read(JSON.stringify({ name: "kernel-socket-lab", version: "0.1.0" }))).toMatchObject({
      ok: false,
      reason: "foreign",
    });
    expect(read("[1,2,3]")).toMatchObject({ ok: false, reason: "foreign" });
  });

  it("refuse a run written by a newer version, naming it", () => {
    const newer = JSON.stringify({ ...JSON.parse(writeRunFile(run)), version: 2 });
    expect(read(newer)).toEqual({ ok: false, reason: "newer", version: 2 });
  });

  it("refuse an event the protocol does not know, or events out of order, saying where", () => {
    const bad = JSON.parse(writeRunFile(run));
    bad.events[1].state = "exploded";
    expect(read(JSON.stringify(bad))).toMatchObject({ ok: false, reason: "malformed" });
    const hello = { ...run, events: [{ type: "hello", protocolVersion: 1, labPort: 1, preferredPort: 1 }] };
    expect(read(writeRunFile(hello as never))).toMatchObject({ ok: false, reason: "malformed" });
    const swapped = { ...run, events: [events[1], events[0]] as LabEvent[] };
    expect(read(writeRunFile(swapped))).toMatchObject({
      ok: false,
      reason: "malformed",
      detail: expect.stringContaining("events.1"),
    });
  });

  it("refuse unknown top-level fields rather than ignore them", () => {
    const extra = JSON.stringify({ ...JSON.parse(writeRunFile(run)), script: "alert(1)" });
    expect(read(extra)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("refuse received bytes that are not base64, or do not decode to the length the step says, naming the field", () => {
    const recv = (data: object) =>
      writeRunFile({
        ...run,
        events: [
          {
            type: "step",
            seq: 1,
            t: 0.1,
            module: "server",
            variant: "published",
            step: "kernel_recvmsg",
            phase: "exit",
            cLine: 60,
            tsLine: 40,
            result: 3,
            data,
          } as LabEvent,
        ],
      });
    expect(read(recv({ base64: "AQID", length: 3, bufferSize: 1024 }))).toMatchObject({ ok: true });
    // 5000 bytes moved: the step carries the first 4096 (base64 of 4096 bytes is 5464 characters).
    expect(
      read(recv({ base64: `${"AAAA".repeat(1365)}AA==`, length: 5000, bufferSize: 8192 })),
    ).toMatchObject({
      ok: true,
    });
    for (const data of [
      { base64: "!!!!", length: 3, bufferSize: 1024 },
      { base64: "AQID", length: 1024, bufferSize: 1024 },
      { base64: "AQID", length: 3, bufferSize: 2 },
      { base64: "AQID", length: 3.5, bufferSize: 1024 },
      { base64: "AQID", length: 3, bufferSize: 2 ** 40 },
    ]) {
      expect(read(recv(data)), JSON.stringify(data)).toMatchObject({
        ok: false,
        reason: "malformed",
        detail: expect.stringMatching(/^events\.0\.data\./),
      });
    }
    // JSON's 1e400 is Infinity: no number field takes it.
    expect(
      read(recv({ base64: "AQID", length: 3, bufferSize: 1024 }).replace('"t":0.1', '"t":1e400')),
    ).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });
});
