import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { cListingPath, tsModulePath } from "../shared/listings/listingFiles.ts";
import { moduleLineNotes } from "../shared/content/lineNotes.ts";
import { deriveStepLines } from "../shared/listings/stepLines.ts";
import { encodeHighlight } from "./highlightCode.ts";
import { MODULES, type ModuleName, VARIANTS, type Variant } from "../shared/protocol/steps.ts";
import { codeLines, type EncodedHighlight } from "../shared/listings/highlightedCode.ts";
import { KERNEL_SERIES } from "../shared/releases/kernelSeries.ts";
import { releaseLineChanges, shownListingText } from "../shared/releases/releaseListing.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ID = "virtual:listings";
const RESOLVED = `\0${ID}`;

/**
 * `import listings from "virtual:listings"`: the C listings and the very TS module files the server
 * runs, read at build time with their step maps derived by the same code the server uses, so the
 * browser shows no hand-kept copy.
 */
export function listingsPlugin(): Plugin {
  return {
    name: "kernel-socket-lab-listings",
    resolveId(id) {
      return id === ID ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      const set: Record<string, Record<string, unknown>> = {};
      for (const variant of VARIANTS) {
        const pair: Record<string, unknown> = {};
        for (const module of MODULES) {
          const cFile = cListingPath(variant, module);
          const tsFile = tsModulePath(variant, module);
          if (!existsSync(ROOT + cFile) || !existsSync(ROOT + tsFile)) continue;
          this.addWatchFile(ROOT + cFile);
          this.addWatchFile(ROOT + tsFile);
          const cText = readFileSync(ROOT + cFile, "utf8");
          const tsText = readFileSync(ROOT + tsFile, "utf8");
          const c = encodeHighlight(cText, "c");
          pair[module] = {
            cFile,
            tsFile,
            cText,
            tsText,
            map: deriveStepLines(variant, module, cText, tsText),
            notes: moduleLineNotes(variant, module, cText, tsText),
            // Highlighted here, not in the browser: the page then carries no Prism and tokenizes nothing.
            highlight: { c, ts: encodeHighlight(tsText, "typescript") },
            releaseLines: releaseLines(variant, module, cText, c),
            releases: releaseViews(variant, module, cText),
          };
        }
        if (pair.server && pair.client) set[variant] = pair;
      }
      return `export default ${JSON.stringify(set)};`;
    },
  };
}

/**
 * The highlighting of every line another kernel release shows otherwise (the fixed listing's
 * kernel_setsockopt before 5.8, its sockaddr_unsized casts from 6.19): line text → its tokens, in
 * the kinds of the listing's own highlighting (extended here), so the page highlights a release's
 * listing from the bundled one plus these few lines (client/src/releases/releaseListing.ts).
 */
function releaseLines(
  variant: Variant,
  module: ModuleName,
  cText: string,
  base: EncodedHighlight,
): Record<string, number[]> {
  const baseLines = codeLines(cText);
  const out: Record<string, number[]> = {};
  const kindIndex = new Map(base.kinds.map((kind, i) => [JSON.stringify(kind), i]));
  for (const series of KERNEL_SERIES)
    for (const edits of [true, false]) {
      const text = shownListingText(variant, module, cText, series.name, edits);
      if (text === cText) continue;
      const encoded = encodeHighlight(text, "c");
      codeLines(text).forEach((line, i) => {
        if (line === baseLines[i] || line in out) return;
        const pairs = encoded.lines[i] ?? [];
        out[line] = pairs.map((value, k) => {
          if (k % 2 === 1) return value;
          const key = JSON.stringify(encoded.kinds[value]);
          let index = kindIndex.get(key);
          if (index === undefined) {
            index = base.kinds.length;
            base.kinds.push(encoded.kinds[value] ?? { className: "token plain" });
            kindIndex.set(key, index);
          }
          return index;
        });
      });
    }
  return out;
}

/**
 * Per release and edits switch ("6.19 on"), what the pane shows otherwise than the bundled text:
 * the lines it replaces (the fixed listing's) and the notes on lines built otherwise, worked out
 * here so the page carries no table of edits (shared/releases/releaseListing.ts).
 */
function releaseViews(variant: Variant, module: ModuleName, cText: string): Record<string, unknown> {
  const baseLines = codeLines(cText);
  const out: Record<string, unknown> = {};
  for (const series of KERNEL_SERIES)
    for (const edits of [true, false]) {
      const lines: Record<number, string> = {};
      codeLines(shownListingText(variant, module, cText, series.name, edits)).forEach((line, i) => {
        if (line !== baseLines[i]) lines[i + 1] = line;
      });
      const notes = releaseLineChanges(variant, module, cText, series.name, edits).map((l) => ({
        line: l.line,
        built: l.built,
        links: l.links.map(({ change, commits, before }) => ({ since: change.since, commits, before })),
      }));
      if (Object.keys(lines).length > 0 || notes.length > 0)
        out[`${series.name} ${edits ? "on" : "off"}`] = { lines, notes };
    }
  return out;
}
