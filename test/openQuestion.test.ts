import { describe, expect, it } from "vitest";
import { PREDICTIONS } from "../shared/content/lesson/predictions.ts";
import { LESSON } from "../shared/content/lesson/lessonSteps.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import { latestOfStep, openQuestion } from "../client/src/lesson/openQuestion.ts";
import type { PredictionRound } from "../client/src/lesson/predictionRounds.ts";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";

let seq = 0;
function ev(event: Record<string, unknown>): LabEvent {
  seq += 1;
  return { ...event, seq, t: seq / 1000 } as unknown as LabEvent;
}
const loading = (module: string) =>
  ev({ type: "module.state", module, state: "loading", variant: "published" });
const waiting = (module: string, step: string) =>
  ev({ type: "step.waiting", module, step, variant: "published", cLine: 1, tsLine: 1 });

/** Step 11's moment: the server held before accept, then the client held before connect. */
function serverAtAcceptClientAtConnect(): LabEvent[] {
  return [loading("server"), waiting("server", "accept"), loading("client"), waiting("client", "connect")];
}

const answered = (events: LabEvent[], id: string, lessonStep: string): PredictionRound => {
  const question = openQuestion(events, lessonStep as never, []);
  if (question?.point.id !== id) throw new Error(`no ${id} question at ${lessonStep}`);
  return { ...question, choice: 0, afterSeq: seq };
};

describe("the question a lesson step asks", () => {
  it("belongs to one lesson step each, a step that runs in step mode", () => {
    const ids = new Set(LESSON.map((step) => step.id));
    for (const point of PREDICTIONS) expect(ids.has(point.lessonStep)).toBe(true);
    expect(PREDICTIONS.find((point) => point.id === "connect")?.lessonStep).toBe("step-mode");
    expect(PREDICTIONS.find((point) => point.id === "accept")?.lessonStep).toBe("accept-queue");
  });

  it("at step 11 is the connect question, though the server waits before accept too", () => {
    expect(openQuestion(serverAtAcceptClientAtConnect(), "step-mode", [])?.point.id).toBe("connect");
  });

  it("at step 12 is the accept question: connect is not asked there", () => {
    const events = serverAtAcceptClientAtConnect();
    expect(openQuestion(events, "accept-queue", [])?.point.id).toBe("accept");
  });

  it("is none on a step that asks nothing, whatever waits", () => {
    expect(openQuestion(serverAtAcceptClientAtConnect(), "timeline", [])).toBeUndefined();
    expect(openQuestion(serverAtAcceptClientAtConnect(), "server-walkthrough", [])).toBeUndefined();
  });

  it("gives way to a newer pause when an older one of the same step was left unanswered", () => {
    const events = [
      loading("server"),
      waiting("server", "bind"),
      loading("client"),
      waiting("client", "connect"),
    ];
    expect(openQuestion(events, "step-mode", [])?.point.id).toBe("connect");
    // Answered, connect is not asked again at the same pause; the older bind pause is still open.
    const connect = answered(events, "connect", "step-mode");
    expect(openQuestion(events, "step-mode", [connect])?.point.id).toBe("bind");
  });

  it("shows a verdict on its own step only: step 11's answer is not shown on step 12 or 13", () => {
    const connect = answered(serverAtAcceptClientAtConnect(), "connect", "step-mode");
    expect(latestOfStep([connect], "step-mode")).toBe(connect);
    expect(latestOfStep([connect], "accept-queue")).toBeUndefined();
    expect(latestOfStep([connect], "timeline")).toBeUndefined();
  });

  it("has its setting-up sentence in both languages when it says it has one", () => {
    for (const point of PREDICTIONS.filter((p) => p.lead)) {
      const id = point.id as keyof typeof UI_EN.predict.lead;
      expect(UI_EN.predict.lead[id]).toBeTruthy();
      expect(UI_ZH.predict.lead[id]).toBeTruthy();
    }
  });
});
