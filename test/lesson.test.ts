import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KERNEL_FACTS } from "../shared/content/kernelFacts.ts";
import { KERNEL_SYMBOLS } from "../shared/content/kernelSymbols.ts";
import { LESSON, LESSON_STEP_IDS, lessonStepIndex } from "../shared/content/lesson/lessonSteps.ts";
import type { LessonText, Paragraph } from "../shared/content/lesson/lessonText.ts";
import { linesHolding, markedLines } from "../shared/content/lesson/lineMarkers.ts";
import { LESSON_EN } from "../shared/content/lesson/text.en.ts";
import { LESSON_ZH } from "../shared/content/lesson/text.zh.ts";
import { cListingPath } from "../shared/listings/listingFiles.ts";
import { MODULES, perModule } from "../shared/protocol/steps.ts";

const published = perModule((m) => readFileSync(cListingPath("published", m), "utf8"));
const CJK = /[\u4e00-\u9fff]/;

function words(text: LessonText[keyof LessonText]): string[] {
  return [
    text.title,
    ...text.body.flatMap((p: Paragraph) => (typeof p === "string" ? [p] : [...p])),
    ...(text.task ? [text.task] : []),
  ];
}

describe("the lesson", () => {
  it("has 10 to 15 steps, each id once, in the order of LESSON_STEP_IDS", () => {
    expect(LESSON.length).toBeGreaterThanOrEqual(10);
    expect(LESSON.length).toBeLessThanOrEqual(15);
    expect(LESSON.map((s) => s.id)).toEqual([...LESSON_STEP_IDS]);
  });

  it("finds a step by the id a URL names, and nothing for an unknown id", () => {
    expect(lessonStepIndex("server-walkthrough")).toBe(3);
    expect(lessonStepIndex("no-such-step")).toBeUndefined();
    expect(lessonStepIndex(null)).toBeUndefined();
  });

  it("says every step in English and in Chinese, with a task exactly where the text gives one", () => {
    for (const id of LESSON_STEP_IDS) {
      const en = LESSON_EN[id];
      const zh = LESSON_ZH[id];
      expect(en.title.length, id).toBeGreaterThan(0);
      expect(en.body.length, id).toBeGreaterThan(0);
      expect(zh.body.length, id).toBe(en.body.length);
      expect(CJK.test(zh.title), `${id} zh title`).toBe(true);
      expect(CJK.test(words(en).join(" ")), `${id} en has no Chinese`).toBe(false);
      expect(Boolean(zh.task), id).toBe(Boolean(en.task));
    }
  });

  it("keeps the same code spans and placeholders in both languages", () => {
    const spans = (text: string[]) =>
      text
        .join(" ")
        .match(/`[^`]*`|\{\{\w+\}\}/g)
        ?.sort() ?? [];
    for (const id of LESSON_STEP_IDS) {
      expect(spans(words(LESSON_ZH[id])), id).toEqual(spans(words(LESSON_EN[id])));
    }
  });

  it("gives every step with a done-when condition a task telling the learner what to do", () => {
    for (const step of LESSON) {
      if (step.doneWhen) expect(LESSON_EN[step.id].task, step.id).toBeTruthy();
    }
  });

  it("marks only lines that exist, each marker on exactly one line of the published listing", () => {
    for (const step of LESSON) {
      for (const module of MODULES) {
        for (const marker of step.marks?.[module] ?? []) {
          const texts = "text" in marker ? [marker.text] : [marker.from, marker.to];
          for (const text of texts)
            expect(linesHolding(published[module], text), `${step.id} ${module} "${text}"`).toHaveLength(1);
        }
      }
    }
  });

  it("cites only facts and symbols that kernelFacts.ts holds, and every fact it cites has a source", () => {
    const factIds = new Set(KERNEL_FACTS.map((f) => f.id));
    const symbols = new Set(KERNEL_SYMBOLS.map((s) => s.symbol));
    for (const step of LESSON) {
      for (const fact of step.facts ?? []) expect(factIds.has(fact), `${step.id} cites ${fact}`).toBe(true);
      for (const symbol of step.symbols ?? [])
        expect(symbols.has(symbol), `${step.id} cites ${symbol}`).toBe(true);
    }
    for (const fact of KERNEL_FACTS) expect(fact.sources.length, fact.id).toBeGreaterThan(0);
  });

  it("tabulates the fifteen symbols the post lists, each with a status in both languages and a source", () => {
    expect(KERNEL_SYMBOLS).toHaveLength(15);
    for (const symbol of KERNEL_SYMBOLS) {
      expect(symbol.status.en, symbol.symbol).toBeTruthy();
      expect(CJK.test(symbol.status.zh), symbol.symbol).toBe(true);
      expect(symbol.sources.length, symbol.symbol).toBeGreaterThan(0);
    }
  });
});

describe("line markers", () => {
  const source = "a\nfrom here\nb\nto here\nc\nrepeat\nrepeat\n";

  it("marks a range from its first line to its last, both included", () => {
    expect([...markedLines(source, [{ from: "from here", to: "to here" }])]).toEqual([2, 3, 4]);
  });

  it("marks nothing for text that is absent or stands on two lines, rather than a wrong line", () => {
    expect(
      markedLines(source, [{ text: "absent" }, { text: "repeat" }, { from: "to here", to: "from here" }])
        .size,
    ).toBe(0);
  });
});
