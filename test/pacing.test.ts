import { describe, expect, it } from "vitest";
import type { LabEvent } from "../shared/protocol/messages.ts";
import { nextBeat } from "../client/src/lesson/pacing.ts";

let seq = 0;
const base = { module: "server", variant: "published", cLine: 1, tsLine: 1 } as const;
const enter = (step: "sock_create_kern" | "bind" | "listen"): LabEvent => ({
  type: "step",
  seq: ++seq,
  t: 0,
  ...base,
  step,
  phase: "enter",
  result: null,
});
const exit = (step: "sock_create_kern" | "bind" | "listen"): LabEvent => ({
  type: "step",
  seq: ++seq,
  t: 0,
  ...base,
  step,
  phase: "exit",
  result: 0,
});
const printk = (text: string): LabEvent => ({ type: "printk", seq: ++seq, t: 0, source: "server", text });
const shell = (text: string): LabEvent => ({ type: "console", seq: ++seq, t: 0, text });

describe("the display's pace", () => {
  const run = [
    shell("$ insmod server.ko"),
    printk("server init:\n"),
    enter("sock_create_kern"),
    exit("sock_create_kern"),
    printk("ok\n"),
    enter("bind"),
    exit("bind"),
    enter("listen"),
  ];

  it("shows one kernel call per beat, with what led to it and its return and printk", () => {
    expect(nextBeat(run, 0)).toEqual({ end: 5, hasCall: true });
    expect(nextBeat(run, 5)).toEqual({ end: 7, hasCall: true });
    expect(nextBeat(run, 7)).toEqual({ end: 8, hasCall: true });
  });

  it("shows lines with no kernel call in them at once, as one beat that costs no time", () => {
    const rmmod = [shell("$ rmmod server"), shell("rmmod: ERROR: Module server is in use")];
    expect(nextBeat(rmmod, 0)).toEqual({ end: 2, hasCall: false });
  });

  it("has nothing to show past the end", () => {
    expect(nextBeat(run, run.length)).toEqual({ end: run.length, hasCall: false });
  });
});
