import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventRecord } from "../client/src/connection/eventRecord.ts";
import { lastPrintedLines, moduleView, terminalLines } from "../client/src/connection/labView.ts";
import { LATEST_OOPSES } from "../client/src/connection/labMoment.ts";
import { sequenceOf } from "../client/src/dock/sequenceModel.ts";
import { latestTcpState } from "../client/src/dock/socketRows.ts";
import { formatDmesg } from "../shared/kernelLog/printk.ts";
import { type LabEvent, MODULE_STATES } from "../shared/protocol/messages.ts";
import { MODULES } from "../shared/protocol/steps.ts";

const LAB_PORT = 34952;
const module = fc.constantFrom(...MODULES);
const variant = fc.constantFrom("published", "fixed" as const);
const line = fc.integer({ min: 1, max: 60 });
const step = fc.constantFrom("sock_create_kern", "bind", "accept", "kernel_recvmsg", "connect" as const);
const endpoint = fc.record({
  address: fc.constant("127.0.0.1"),
  port: fc.constantFrom(LAB_PORT, 40000, 40001),
});
const row = fc.record({
  family: fc.constant("ipv4" as const),
  local: endpoint,
  remote: endpoint,
  state: fc.constantFrom("LISTEN", "ESTABLISHED", "CLOSE_WAIT", "FIN_WAIT2" as const),
  txQueue: fc.constant(0),
  rxQueue: fc.constant(0),
  inode: fc.constant(1),
});

/** Any lab event, without its seq (given by position); loads are frequent so that runs begin and end. */
const event = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant("module.state" as const),
      module,
      variant,
      state: fc.constantFrom(...MODULE_STATES),
      initResult: fc.option(fc.integer({ min: -120, max: 0 }), { nil: undefined }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant("step" as const),
      module,
      variant,
      step,
      phase: fc.constantFrom("enter", "exit" as const),
      cLine: line,
      tsLine: line,
      result: fc.option(fc.integer({ min: -120, max: 1024 }), { nil: null }),
      data: fc.option(
        fc.record({ base64: fc.constant("AQEB"), length: fc.constant(3), bufferSize: fc.constant(1024) }),
        { nil: undefined },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("step.waiting" as const),
      module,
      variant,
      step,
      cLine: line,
      tsLine: line,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("printk" as const),
      source: fc.constantFrom("server", "client", "kernel" as const),
      text: fc.string({ maxLength: 12 }),
      cLine: fc.option(line, { nil: undefined }),
      tsLine: fc.option(line, { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant("console" as const), text: fc.string({ maxLength: 12 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant("tcp.state" as const), rows: fc.array(row, { maxLength: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("oops" as const),
      text: fc.string({ maxLength: 8 }),
      frames: fc.constant([]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("kernel.boot" as const),
      records: fc.array(
        fc.record({ t: fc.nat(5), text: fc.string({ maxLength: 8 }), level: fc.constant(6) }),
        { maxLength: 3 },
      ),
    }),
  },
);

const session = fc
  .array(event, { maxLength: 200, size: "large" })
  .map((events) => events.map((e, i) => ({ ...e, seq: i + 1, t: i / 100 }) as LabEvent));

/** The latest kernel_recvmsg with bytes and its module's next printk with a line, as lastReceived finds them. */
function lastReceive(events: readonly LabEvent[]) {
  const at = events.findLastIndex(
    (e) => e.type === "step" && e.step === "kernel_recvmsg" && e.phase === "exit" && e.data,
  );
  if (at < 0) return undefined;
  const event = events[at] as Extract<LabEvent, { type: "step" }>;
  const printk = events
    .slice(at + 1)
    .find((e) => e.type === "printk" && e.source === event.module && e.cLine !== undefined);
  return { event, printk };
}

/** What each view would derive from the first `n` events, by the full re-derivations. */
function derived(events: readonly LabEvent[]) {
  return {
    modules: Object.fromEntries(MODULES.map((m) => [m, moduleView(events, m)])),
    printed: lastPrintedLines(events),
    terminal: terminalLines(events),
    tcp: latestTcpState(events),
    received: lastReceive(events),
    oopses: events.filter((e) => e.type === "oops").slice(-LATEST_OOPSES),
    vms: events.filter((e) => e.type === "kernel.boot").length,
    bootRecords: events.reduce((n, e) => (e.type === "kernel.boot" ? n + e.records.length : n), 0),
  };
}

/** The same, read from the record's moment after `n` events. */
function fromRecord(record: EventRecord, n: number, terminalMax: number) {
  const moment = record.momentAt(n);
  return {
    modules: moment.modules,
    printed: moment.printed,
    terminal: record
      .terminalEntries(moment.terminal, terminalMax)
      .entries.flatMap((e) => (typeof e === "string" ? [e] : e.records.map((r) => formatDmesg(r.t, r.text)))),
    tcp: moment.tcp,
    received: moment.received ? { event: moment.received, printk: moment.receivedPrintk } : undefined,
    oopses: moment.oopses.map((record) => record.event),
    vms: moment.vms,
    bootRecords: moment.bootRecords,
  };
}

/** Where runs begin, derived the long way: a module loading while none is loading or live, after a first load. */
function runStarts(events: readonly LabEvent[]): number[] {
  const starts: number[] = events.length > 0 ? [0] : [];
  let loaded = false;
  events.forEach((e, i) => {
    if (e.type !== "module.state" || e.state !== "loading") return;
    const idle = MODULES.every((m) => !["loading", "live"].includes(moduleView(events.slice(0, i), m).state));
    if (loaded && idle) starts.push(i);
    loaded = true;
  });
  return starts;
}

describe("the event record", () => {
  it("reads, at every moment, what re-deriving every view from all events before it gives", () => {
    fc.assert(
      fc.property(session, (events) => {
        const record = new EventRecord();
        for (const e of events) record.append(e);
        for (let n = 0; n <= events.length; n++) {
          const full = derived(events.slice(0, n));
          const read = fromRecord(record, n, Number.POSITIVE_INFINITY);
          expect(read).toEqual(full);
        }
        expect(record.runs.map((r) => r.start)).toEqual(runStarts(events));
      }),
      { numRuns: 100 },
    );
  });

  it("after dropping its oldest runs, still reads every kept moment as the whole session derives it", () => {
    fc.assert(
      fc.property(
        session,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 10, max: 40 }),
        (events, keepRuns, keepEvents) => {
          const record = new EventRecord(keepRuns, keepEvents);
          for (const e of events) record.append(e);
          expect(record.runs.length).toBeLessThanOrEqual(keepRuns);
          expect(record.length - record.start).toBeLessThanOrEqual(keepEvents);
          expect(record.dropped.events).toBe(record.start);
          expect(record.runs.length + record.dropped.runs).toBe(runStarts(events).length);
          for (let n = record.start; n <= events.length; n++) {
            const full = derived(events.slice(0, n));
            const read = fromRecord(record, n, Number.POSITIVE_INFINITY);
            // The printk pane holds only the entries of kept events: the newest ones agree.
            expect(full.terminal.slice(full.terminal.length - read.terminal.length)).toEqual(read.terminal);
            expect({ ...read, terminal: [] }).toEqual({ ...full, terminal: [] });
          }
          expect(record.exportKept().events).toEqual(events.slice(record.start));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("shows the current run's sequence as the whole session shows it when the session is one run", () => {
    const events = [
      { type: "module.state", module: "server", variant: "published", state: "loading" },
      {
        type: "step",
        module: "server",
        variant: "published",
        step: "accept",
        phase: "enter",
        cLine: 1,
        tsLine: 1,
        result: null,
      },
      { type: "module.state", module: "client", variant: "published", state: "loading" },
      {
        type: "step",
        module: "client",
        variant: "published",
        step: "connect",
        phase: "enter",
        cLine: 1,
        tsLine: 1,
        result: null,
      },
      {
        type: "step",
        module: "client",
        variant: "published",
        step: "connect",
        phase: "exit",
        cLine: 1,
        tsLine: 1,
        result: 0,
      },
      {
        type: "step",
        module: "server",
        variant: "published",
        step: "accept",
        phase: "exit",
        cLine: 1,
        tsLine: 1,
        result: 0,
      },
    ].map((e, i) => ({ ...e, seq: i + 1, t: i }) as LabEvent);
    const record = new EventRecord();
    for (const e of [...events, ...events]) record.append(e);
    expect(record.runs.map((r) => r.start)).toEqual([0]);
    const run = record.runOf(record.length - 1);
    expect(sequenceOf(record.slice(run?.start ?? 0), LAB_PORT)).toEqual(
      sequenceOf([...events, ...events], LAB_PORT),
    );
  });

  it("keeps at most the last runs it is told to, however many runs the session has", () => {
    const lesson = (seq: number): LabEvent[] =>
      (["loading", "live", "unloaded"] as const).map((state, i) => ({
        type: "module.state",
        seq: seq + i,
        t: 0,
        module: "server",
        variant: "published",
        state,
      }));
    const record = new EventRecord(3, 1000);
    for (let i = 0; i < 50; i++) for (const e of lesson(i * 3)) record.append(e);
    expect(record.runs.map((r) => r.number)).toEqual([48, 49, 50]);
    expect(record.dropped).toMatchObject({ runs: 47, events: 141 });
    expect(record.momentAt(record.length).modules.server.state).toBe("unloaded");
  });

  it("holds a socket table's unchanged rows once, however many tables repeat them", () => {
    const leaked = {
      family: "ipv4",
      local: { address: "127.0.0.1", port: 40000 },
      remote: { address: "127.0.0.1", port: LAB_PORT },
      state: "CLOSE_WAIT",
      txQueue: 0,
      rxQueue: 0,
      inode: 7,
    } as const;
    const table = (seq: number, state: "LISTEN" | "ESTABLISHED"): LabEvent => ({
      type: "tcp.state",
      seq,
      t: seq,
      rows: [
        structuredClone(leaked),
        {
          ...structuredClone(leaked),
          local: { address: "127.0.0.1", port: LAB_PORT },
          remote: { address: "0.0.0.0", port: 0 },
          state,
        },
      ],
    });
    const record = new EventRecord();
    for (const [i, state] of (["LISTEN", "ESTABLISHED", "ESTABLISHED"] as const).entries())
      record.append(table(i + 1, state));
    const rows = [0, 1, 2].map((p) => (record.at(p) as Extract<LabEvent, { type: "tcp.state" }>).rows);
    expect(rows[1]?.[0]).toBe(rows[0]?.[0]);
    expect(rows[2]?.[0]).toBe(rows[0]?.[0]);
    expect(rows[1]?.[1]).not.toBe(rows[0]?.[1]);
    expect(rows[2]?.[1]).toBe(rows[1]?.[1]);
    expect(rows[2]?.[1]?.state).toBe("ESTABLISHED");
  });
});
