import { describe, expect, it } from "vitest";
import { DisplayClock, lastLitPosition, type Timer } from "../client/src/clock/displayClock.ts";
import { EventRecord } from "../client/src/connection/eventRecord.ts";
import { sameOnScreen } from "../client/src/controls/shownChange.ts";
import { prefixOf } from "../client/src/recording/recordedRecord.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import type { RunFile } from "../shared/protocol/runFile.ts";
import type { ModuleName, StepId } from "../shared/protocol/steps.ts";

let seq = 0;
const base = () => ({ seq: ++seq, t: seq / 1000, variant: "published" as const });
const call = (module: ModuleName, step: StepId, phase: "enter" | "exit", cLine = 1): LabEvent => ({
  type: "step",
  module,
  step,
  phase,
  cLine,
  tsLine: cLine,
  result: phase === "exit" ? 0 : null,
  ...base(),
});
const state = (module: ModuleName, to: "loading" | "live" | "unloaded"): LabEvent => ({
  type: "module.state",
  module,
  state: to,
  ...base(),
});
const printk = (text: string): LabEvent => ({
  type: "printk",
  seq: ++seq,
  t: seq / 1000,
  source: "server",
  text,
});

/** The server's start: insmod, three calls (each with its printk), blocked in the fourth. */
const serverStart = (): LabEvent[] => [
  state("server", "loading"),
  call("server", "sock_create_kern", "enter", 24),
  call("server", "sock_create_kern", "exit", 24),
  printk("server:socket_create ok!\n"),
  call("server", "bind", "enter", 30),
  call("server", "bind", "exit", 30),
  call("server", "listen", "enter", 37),
  call("server", "listen", "exit", 37),
  state("server", "live"),
  call("server", "accept", "enter", 44),
];

/** A lab the test feeds: its record, and the beats it runs by hand. */
function lab(stepMode = false) {
  const record = new EventRecord();
  const listeners = new Set<() => void>();
  let snapshot = { record, length: 0, start: 0, stepMode };
  const beats: { run: () => void; ms: number }[] = [];
  const timer: Timer = (run, ms) => {
    const beat = { run, ms };
    beats.push(beat);
    return () => beats.splice(beats.indexOf(beat), 1);
  };
  let now = 0;
  const source = {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
  };
  return {
    source,
    timer,
    now: () => now,
    beats,
    send(events: LabEvent[]) {
      for (const event of events) record.append(event);
      snapshot = { ...snapshot, length: record.length, start: record.start };
      for (const listener of listeners) listener();
    },
    /** Runs the beat waiting, `ms` after the last. */
    tick() {
      const beat = beats.shift();
      if (!beat) throw new Error("no beat is waiting");
      now += Math.max(beat.ms, 1);
      beat.run();
    },
  };
}

function clockOn(feed: ReturnType<typeof lab>, pace: "slow" | "instant" = "slow") {
  return new DisplayClock(feed.source, { pace, linkedAt: null, timer: feed.timer, now: feed.now });
}

describe("the display clock", () => {
  it("plays the live lab one kernel call a beat at Slow, and all of it at once at Instant", () => {
    const feed = lab();
    const clock = clockOn(feed);
    feed.send(serverStart());
    expect(clock.getSnapshot().live.end).toBe(0);
    feed.tick();
    // insmod and the first call with its printk, up to the next call.
    expect(clock.getSnapshot().live.end).toBe(4);
    expect(clock.getSnapshot().moment.modules.server.current?.cLine).toBe(24);
    feed.tick();
    expect(clock.getSnapshot().moment.modules.server.current?.cLine).toBe(30);
    clock.setPace("instant");
    expect(clock.getSnapshot().live.end).toBe(10);
    expect(feed.beats).toHaveLength(0);
    clock.dispose();
  });

  it("shows every event as it comes in step mode: the learner is the pace", () => {
    const feed = lab(true);
    const clock = clockOn(feed);
    feed.send(serverStart());
    expect(clock.getSnapshot().live.end).toBe(10);
    expect(feed.beats).toHaveLength(0);
    clock.dispose();
  });

  it("shows Reset the lab at once at Slow: the queued calls and the reset's own, until the lab is idle", () => {
    const feed = lab();
    const clock = clockOn(feed);
    feed.send(serverStart());
    feed.tick();
    clock.jumpToLive();
    expect(clock.getSnapshot().live.end).toBe(10);
    // The reset's calls come after the press: the exit's own calls are not played a beat each.
    feed.send([
      call("server", "accept", "exit", 44),
      call("server", "sock_release", "enter", 60),
      call("server", "sock_release", "exit", 60),
      state("server", "unloaded"),
    ]);
    expect(clock.getSnapshot().live.end).toBe(14);
    expect(clock.getSnapshot().liveMoment.modules.server.state).toBe("unloaded");
    // Idle again: the next run is paced as before.
    feed.send(serverStart());
    expect(clock.getSnapshot().live.end).toBe(14);
    feed.tick();
    expect(clock.getSnapshot().live.end).toBe(18);
    clock.dispose();
  });

  it("keeps the moment looked at while the live lab goes on, and returns to live on request", () => {
    const feed = lab();
    const clock = clockOn(feed, "instant");
    feed.send(serverStart());
    clock.viewPast(4);
    expect(clock.getSnapshot().past).toBe(4);
    expect(clock.getSnapshot().shown.end).toBe(5);
    feed.send([call("server", "accept", "exit", 44)]);
    expect(clock.getSnapshot().shown.end).toBe(5);
    expect(clock.getSnapshot().live.end).toBe(11);
    clock.backToLive();
    expect(clock.getSnapshot().shown.end).toBe(11);
    clock.dispose();
  });

  it("opens a run at its last moment with a lit line, not at its unloaded end", () => {
    const events = [
      ...serverStart(),
      call("server", "accept", "exit", 44),
      printk("bye\n"),
      state("server", "unloaded"),
    ];
    const run = { events } as unknown as RunFile;
    const feed = lab();
    const clock = clockOn(feed, "instant");
    clock.openRun(run);
    expect(clock.getSnapshot().past).toBe(11);
    expect(clock.getSnapshot().moment.modules.server.current?.cLine).toBe(44);
    expect(clock.getSnapshot().paced.end).toBe(13);
    clock.closeRun();
    expect(clock.getSnapshot().recorded).toBeNull();
    expect(clock.getSnapshot().past).toBeNull();
    clock.dispose();
  });

  it("opens a run whose end is lit, or that never lit a line, at its end", () => {
    expect(lastLitPosition(prefixOf(serverStart()))).toBeNull();
    expect(lastLitPosition(prefixOf([printk("a\n"), printk("b\n")]))).toBeNull();
  });

  it("disposes of its beat: no timer is left waiting", () => {
    const feed = lab();
    const clock = clockOn(feed);
    feed.send(serverStart());
    expect(feed.beats).toHaveLength(1);
    clock.dispose();
    expect(feed.beats).toHaveLength(0);
  });
});

describe("what Step back and Step forward pass over", () => {
  it("tells a moment that shows nothing new from one that shows a change", () => {
    const record = new EventRecord();
    for (const event of [
      call("server", "bind", "enter", 30),
      call("server", "bind", "exit", 30),
      { type: "tcp.state", seq: ++seq, t: 0, rows: [] } as unknown as LabEvent,
      printk("server:bind ok!\n"),
    ])
      record.append(event);
    // The socket table changed nothing on the listings or the log.
    expect(sameOnScreen(record.momentAt(2), record.momentAt(3))).toBe(true);
    // The call's return lights its line in another tone; the printk adds a record.
    expect(sameOnScreen(record.momentAt(1), record.momentAt(2))).toBe(false);
    expect(sameOnScreen(record.momentAt(3), record.momentAt(4))).toBe(false);
  });
});
