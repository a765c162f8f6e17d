import { describe, expect, it } from "vitest";
import { UI_EN } from "../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") found.set(path, value);
    else for (const [p, v] of leaves(value, path)) found.set(p, v);
  }
  return found;
}

const placeholders = (text: string) => (text.match(/\{\{\w+\}\}/g) ?? []).sort();

describe("the interface's two languages", () => {
  const en = leaves(UI_EN);
  const zh = leaves(UI_ZH);

  it("have the same keys, so no string falls back to a missing translation", () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("fill the same placeholders in every string", () => {
    for (const [key, text] of en) expect(placeholders(zh.get(key) ?? ""), key).toEqual(placeholders(text));
  });

  it("say the module states in English exactly as the lab's tests and README quote them", () => {
    const fill = (template: string, values: Record<string, string>) =>
      template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => values[k] ?? "");
    expect(UI_EN.state.unloaded).toBe("not loaded");
    expect(UI_EN.state.live).toBe("loaded");
    expect(UI_EN.state.running).toBe("running");
    expect(fill(UI_EN.state.failed, { result: "-111" })).toBe("failed (-111)");
    expect(fill(UI_EN.state.blocked, { step: "accept" })).toBe("running — blocked in accept");
    expect(fill(UI_EN.state.paused, { step: "accept" })).toBe("running — paused before accept");
    expect(fill(UI_EN.module.start, { name: UI_EN.module.server.name })).toBe("Start server");
  });
});
