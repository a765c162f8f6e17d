import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { cListingPath, tsModulePath } from "../shared/listings/listingFiles.ts";
import { moduleLineNotes } from "../shared/content/lineNotes.ts";
import { deriveStepLines } from "../shared/listings/stepLines.ts";
import { encodeHighlight } from "./highlightCode.ts";
import { MODULES, VARIANTS } from "../shared/protocol/steps.ts";

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
          pair[module] = {
            cFile,
            tsFile,
            cText,
            tsText,
            map: deriveStepLines(variant, module, cText, tsText),
            notes: moduleLineNotes(variant, module, cText, tsText),
            // Highlighted here, not in the browser: the page then carries no Prism and tokenizes nothing.
            highlight: { c: encodeHighlight(cText, "c"), ts: encodeHighlight(tsText, "typescript") },
          };
        }
        if (pair.server && pair.client) set[variant] = pair;
      }
      return `export default ${JSON.stringify(set)};`;
    },
  };
}
