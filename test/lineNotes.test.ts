import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { listings } from "../server/lab/listingSources.ts";
import { cListingPath, tsModulePath } from "../shared/listings/listingFiles.ts";
import {
  deriveLineNotes,
  LINE_NOTES,
  LineNoteError,
  markerLines,
  moduleLineNotes,
  type Side,
} from "../shared/content/lineNotes.ts";
import { MODULES, VARIANTS } from "../shared/protocol/steps.ts";

const ROOT = new URL("../", import.meta.url);

function source(
  variant: (typeof VARIANTS)[number],
  module: (typeof MODULES)[number],
  side: Side,
): string | undefined {
  const path = new URL(side === "c" ? cListingPath(variant, module) : tsModulePath(variant, module), ROOT);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

describe("line notes", () => {
  for (const variant of VARIANTS) {
    for (const module of MODULES) {
      for (const side of ["c", "ts"] as const) {
        const specs = LINE_NOTES[variant][module][side];
        if (specs.length === 0) continue;
        it(`finds each ${variant} ${module} ${side === "c" ? "C" : "TS"} note's marker on exactly one line`, () => {
          const text = source(variant, module, side);
          expect(text?.length, "the source the notes annotate is on disk").toBeGreaterThan(0);
          for (const spec of specs) expect(markerLines(text!, spec), spec.marker).toHaveLength(1);
        });
      }
    }
  }

  it("has notes for both sides of every module of the published listing", () => {
    for (const module of MODULES) {
      expect(LINE_NOTES.published[module].c.length).toBeGreaterThan(3);
      expect(LINE_NOTES.published[module].ts.length).toBeGreaterThan(3);
    }
  });

  for (const variant of VARIANTS.filter((v) => listings()[v])) {
    for (const module of MODULES) {
      it(`puts no ${variant} ${module} note on a line that has a step partner`, () => {
        const { cText, tsText, map } = listings()[variant]![module];
        const notes = moduleLineNotes(variant, module, cText, tsText);
        for (const line of Object.keys(notes.c))
          expect(map.byCLine[Number(line)], `C line ${line}`).toBeUndefined();
        for (const line of Object.keys(notes.ts))
          expect(map.byTsLine[Number(line)], `TS line ${line}`).toBeUndefined();
      });
    }
  }

  it("notes the MODULE_LICENSE line of server.c, which has no TS partner", () => {
    const { cText, tsText } = listings().published!.server;
    const notes = moduleLineNotes("published", "server", cText, tsText).c;
    const licenceLine = cText.split("\n").indexOf('MODULE_LICENSE("GPL");') + 1;
    expect(notes[licenceLine]?.en).toMatch(/^No TS partner/);
    expect(notes[licenceLine]?.zh).toMatch(/^TS 中没有对应行/);
  });

  it("fails when a marker is on no line or on two", () => {
    const text = "int a;\nint b;\nint a2;\n";
    const note = { en: "b", zh: "乙" };
    expect(deriveLineNotes("t", text, [{ marker: "int b;", text: note }])).toEqual({ 2: note });
    expect(() => deriveLineNotes("t", text, [{ marker: "int c;", text: note }])).toThrow(LineNoteError);
    expect(() => deriveLineNotes("t", text, [{ marker: "int a", text: note }])).toThrow(/on 2 lines/);
  });

  it("anchors a startsLine marker at the start of its line, after indentation", () => {
    const text = "\tsock=kmalloc(1);\n\tclient_sock=kmalloc(2);\n";
    expect(markerLines(text, { marker: "sock=kmalloc(" })).toEqual([1, 2]);
    expect(markerLines(text, { marker: "sock=kmalloc(", startsLine: true })).toEqual([1]);
  });
});
