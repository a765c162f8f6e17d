import { describe, expect, it } from "vitest";
import { LESSON_EN } from "../shared/content/lesson/text.en.ts";
import { LESSON_ZH } from "../shared/content/lesson/text.zh.ts";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";

/** Every text of the interface, with a module's name put in where a label names one ("Start {{name}}"). */
function labels(ui: unknown, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.includes("{{name}}")) for (const name of names) found.add(value.replaceAll("{{name}}", name));
      else found.add(value);
    } else if (value && typeof value === "object") for (const child of Object.values(value)) walk(child);
  };
  walk(ui);
  return found;
}

/** The lesson's every text (titles, tasks, bodies), one string each. */
function lessonTexts(lesson: unknown): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") texts.push(value);
    else if (value && typeof value === "object") for (const child of Object.values(value)) walk(child);
  };
  walk(lesson);
  return texts;
}

/** The names after "press" in an English text: up to the punctuation or the "then" that ends them, split at "and". */
function pressedEn(text: string): string[] {
  return [
    ...text.matchAll(/\b[Pp]ress ([^,.;:()]+?)(?=[,.;:(]| then | three | twice | once | first|$)/g),
  ].flatMap((match) => (match[1] ?? "").split(" and ").map((name) => name.trim().replace(/^“|”$/g, "")));
}

/** The names a Chinese text quotes after 点击 (press) or 打开/关闭 (turn on / off). */
function pressedZh(text: string): string[] {
  return [...text.matchAll(/(?:点击|再点击|按)“([^”]+)”/g)].map((match) => match[1] ?? "");
}

describe("the lesson names the buttons as they are labelled", () => {
  it("in English: every “press X” names a label of the interface", () => {
    const known = labels(UI_EN, [UI_EN.module.server.name, UI_EN.module.client.name]);
    const pressed = lessonTexts(LESSON_EN).flatMap(pressedEn);
    expect(pressed.length).toBeGreaterThan(8);
    expect(pressed.filter((name) => !known.has(name))).toEqual([]);
  });

  it("in Chinese: every 点击“X” names a label of the interface", () => {
    const known = labels(UI_ZH, [UI_ZH.module.server.name, UI_ZH.module.client.name]);
    const pressed = lessonTexts(LESSON_ZH).flatMap(pressedZh);
    expect(pressed.length).toBeGreaterThan(8);
    expect(pressed.filter((name) => !known.has(name))).toEqual([]);
  });

  it("the check finds a name no button has", () => {
    const known = labels(UI_EN, ["server", "client"]);
    expect(pressedEn("Then press Back to live.").filter((name) => !known.has(name))).toEqual([
      "Back to live",
    ]);
    expect(pressedZh("然后点击“回到实时”。")).toEqual(["回到实时"]);
  });
});
