import { describe, expect, it } from "vitest";
import { doneBy } from "../shared/content/lesson/doneWhen.ts";
import { LESSON } from "../shared/content/lesson/lessonSteps.ts";
import { PREDICTIONS, predictionAt } from "../shared/content/lesson/predictions.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import { unmetNeeds } from "../client/src/lesson/lessonNeeds.ts";
import { needsWords } from "../client/src/lesson/needsWords.ts";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { labI18n } from "./helpers/i18n.ts";
import { EventRecord, KEEP_RUNS } from "../client/src/connection/eventRecord.ts";
import {
  newestSeq,
  type PredictionRound,
  roundOutcome,
  settleRounds,
  tally,
} from "../client/src/lesson/predictionRounds.ts";

let seq = 0;
const at = { variant: "published", cLine: 1, tsLine: 1 } as const;
function ev(event: Record<string, unknown>, t = seq / 1000): LabEvent {
  return { ...event, seq: ++seq, t } as unknown as LabEvent;
}
const state = (module: string, s: string, initResult?: number) =>
  ev({ type: "module.state", module, state: s, variant: "published", initResult });
const call = (module: string, step: string, phase: "enter" | "exit", result: number | null, t?: number) =>
  ev({ type: "step", module, step, phase, result, ...at }, t);

describe("a step's outcome", () => {
  it("names the events that did the task, in the condition's order", () => {
    const loaded = [state("server", "live", 1024), state("client", "live", 1024)];
    const condition = LESSON.find((step) => step.id === "run-both")?.doneWhen;
    expect(condition && doneBy(condition, loaded)).toEqual([loaded[1], loaded[0]]);
    expect(condition && doneBy(condition, loaded.slice(0, 1))).toBeUndefined();
  });
});

describe("a step's needs", () => {
  const needs = { unloaded: ["server" as const], portFree: true };

  it("are unmet by a server loaded before the step began, and met again once it is unloaded", () => {
    const before = [state("server", "loading")];
    expect(unmetNeeds(needs, before, 1, false)).toEqual({
      loaded: ["server"],
      portHeld: false,
      toStart: [],
      toRestart: [],
    });
    expect(unmetNeeds(needs, [...before, state("server", "unloaded")], 1, false)).toBeUndefined();
  });

  it("are not a wrong state while the learner starts the module during the step", () => {
    expect(unmetNeeds(needs, [state("server", "loading")], 0, false)).toBeUndefined();
  });

  it("count a failed init as not loaded, and an occupied port as unmet", () => {
    expect(unmetNeeds(needs, [state("server", "failed", -98)], 1, false)).toBeUndefined();
    expect(unmetNeeds(needs, [], 0, true)).toEqual({
      loaded: [],
      portHeld: true,
      toStart: [],
      toRestart: [],
    });
  });
});

describe("a step that starts from the server blocked in accept", () => {
  const insmodBlocks = LESSON.find((step) => step.id === "insmod-blocks")?.needs;
  const runBoth = LESSON.find((step) => step.id === "run-both")?.needs;
  const fill = (template: string, values: Record<string, string>) =>
    template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => values[key] ?? "");

  it("is met while the server's init runs, and names Start server when the server is not loaded", () => {
    expect(insmodBlocks?.initRunning).toEqual(["server"]);
    expect(unmetNeeds(insmodBlocks, [state("server", "loading")], 1, false)).toBeUndefined();
    expect(unmetNeeds(insmodBlocks, [], 0, false)).toEqual({
      loaded: [],
      portHeld: false,
      toStart: ["server"],
      toRestart: [],
    });
    const failed = [state("server", "loading"), state("server", "failed", -98)];
    expect(unmetNeeds(runBoth, failed, 0, false)?.toStart).toEqual(["server"]);
  });

  it("names Stop server, then Start server, for a server whose init returned before the step", () => {
    const live = [state("server", "loading"), state("server", "live", 1024)];
    expect(unmetNeeds(insmodBlocks, live, 2, false)?.toRestart).toEqual(["server"]);
    // Started and returned during the step: the task under way (a client came), not a wrong state.
    expect(unmetNeeds(insmodBlocks, live, 0, false)).toBeUndefined();
  });

  it("says which button gets there, in both languages, by the buttons' own names, and offers no Reset", () => {
    const unmet = { loaded: [], portHeld: false, toStart: ["server" as const], toRestart: [] };
    for (const [language, ui] of [
      ["en", UI_EN],
      ["zh", UI_ZH],
    ] as const) {
      const words = needsWords(labI18n(language).t, unmet, 34952);
      expect(words.reset, language).toBeUndefined();
      expect(words.press, language).toContain(fill(ui.module.start, { name: ui.module.server.name }));
    }
    expect(needsWords(labI18n("en").t, unmet, 34952).press).toMatch(/Press Start server\.$/);
    const restart = needsWords(labI18n("zh").t, { ...unmet, toStart: [], toRestart: ["server"] }, 34952);
    expect(restart.press).toContain("请按“停止服务器”，然后按“启动服务器”。");
    // Chinese has one plural form: the sentence for one module must not say "all" (都), nor leave a space between sentences.
    const zh = needsWords(labI18n("zh").t, unmet, 34952).press ?? "";
    expect(zh).not.toContain("都");
    expect(zh).toMatch(/这一点。请按“启动服务器”。$/);
    expect(restart.press).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);
  });
});

describe("a prediction round", () => {
  const point = (id: string) => {
    const found = PREDICTIONS.find((p) => p.id === id);
    if (!found) throw new Error(id);
    return found;
  };
  const round = (id: string, choice: number | "blocks", since: number): PredictionRound => ({
    point: point(id),
    waitingSeq: 0,
    choice,
    afterSeq: since,
  });

  it("is asked at the listed calls only, and the init question only for the published server", () => {
    expect(predictionAt("client", "published", "connect")?.id).toBe("connect");
    expect(predictionAt("server", "fixed", "bind")?.id).toBe("bind");
    expect(predictionAt("server", "published", "listen")).toBeUndefined();
    expect(predictionAt("server", "published", "sock_release_conn")?.id).toBe("init");
    expect(predictionAt("server", "fixed", "sock_release_conn")).toBeUndefined();
    for (const p of PREDICTIONS) {
      expect(p.choices.length).toBeGreaterThanOrEqual(3);
      expect(p.choices.length).toBeLessThanOrEqual(4);
    }
  });

  it("is decided by the real call's return, whatever was predicted", () => {
    const events = [
      call("client", "connect", "enter", null, 1),
      call("client", "connect", "exit", -111, 1.001),
    ];
    expect(roundOutcome(round("connect", 0, 0), events)).toEqual({ decided: true, outcome: -111 });
    expect(tally([round("connect", 0, 0), round("connect", -111, 0)], events)).toEqual({
      right: 1,
      total: 2,
    });
  });

  it("says a call blocked when it returned only much later by the lab's clock, or not yet", () => {
    const late = [call("server", "accept", "enter", null, 1), call("server", "accept", "exit", 0, 9)];
    expect(roundOutcome(round("accept", "blocks", 0), late)).toEqual({ decided: true, outcome: "blocks" });
    const running = [call("server", "accept", "enter", null, 1)];
    expect(roundOutcome(round("accept", "blocks", 0), running)).toEqual({ decided: false, running: true });
    expect(roundOutcome({ ...round("accept", "blocks", 0), blocked: true }, running)).toEqual({
      decided: true,
      outcome: "blocks",
    });
  });

  it("about init is decided by the module's init result", () => {
    const events = [state("server", "live", 1024)];
    expect(roundOutcome(round("init", 0, 0), events)).toEqual({ decided: true, outcome: 1024 });
  });
});

describe("a prediction round across the record's run boundary", () => {
  const bindQuestion = PREDICTIONS.find((p) => p.id === "bind");
  /** One run of the server: loaded, bind returns `bindResult`, unloaded (or failed). */
  const serverRun = (record: EventRecord, bindResult: number, lockIn?: (events: LabEvent[]) => void) => {
    record.append(state("server", "loading"));
    record.append(ev({ type: "step.waiting", module: "server", step: "bind", ...at }));
    lockIn?.(record.slice(record.start));
    record.append(call("server", "bind", "enter", null));
    record.append(call("server", "bind", "exit", bindResult));
    record.append(bindResult < 0 ? state("server", "failed", bindResult) : state("server", "unloaded"));
  };
  const held = (record: EventRecord) => record.slice(record.start);

  it("is decided by its own call when older runs are dropped after the answer, not by a later run's", () => {
    if (!bindQuestion) throw new Error("bind question");
    const record = new EventRecord();
    for (let i = 0; i < KEEP_RUNS; i++) serverRun(record, 0);
    let round: PredictionRound | undefined;
    // Run 21: the port is taken, the learner predicts 0 at bind; bind returns -98.
    serverRun(record, -98, (events) => {
      round = { point: bindQuestion, waitingSeq: newestSeq(events), choice: 0, afterSeq: newestSeq(events) };
    });
    if (!round) throw new Error("locked in");
    expect(roundOutcome(round, held(record))).toEqual({ decided: true, outcome: -98 });
    // Run 22 begins: the record drops run 1, and every position in the held list moves back by one run.
    const before = record.start;
    serverRun(record, 0);
    expect(record.start).toBeGreaterThan(before);
    expect(roundOutcome(round, held(record))).toEqual({ decided: true, outcome: -98 });
    expect(tally([round], held(record))).toEqual({ right: 0, total: 1 });
  });

  it("keeps its verdict once decided, after the record has dropped the run that decided it", () => {
    if (!bindQuestion) throw new Error("bind question");
    const record = new EventRecord();
    let rounds: PredictionRound[] = [];
    serverRun(record, -98, (events) => {
      rounds = [
        { point: bindQuestion, waitingSeq: newestSeq(events), choice: -98, afterSeq: newestSeq(events) },
      ];
    });
    rounds = settleRounds(rounds, held(record));
    expect(settleRounds(rounds, held(record))).toBe(rounds);
    for (let i = 0; i < KEEP_RUNS + 1; i++) serverRun(record, 0);
    expect(record.dropped.runs).toBeGreaterThan(0);
    expect(tally(rounds, held(record))).toEqual({ right: 1, total: 1 });
  });
});
