declare module "virtual:listings" {
  import type { Bilingual } from "../../../shared/content/bilingual.ts";
  import type { EncodedHighlight } from "../../../shared/listings/highlightedCode.ts";
  import type { StepLineMap } from "../../../shared/listings/stepLines.ts";
  import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
  export type BundledListing = {
    cFile: string;
    tsFile: string;
    cText: string;
    tsText: string;
    map: StepLineMap;
    /** Why a line has no partner: line → note, per side (shared/content/lineNotes.ts). */
    notes: { c: Record<number, Bilingual>; ts: Record<number, Bilingual> };
    /** Each side's syntax highlighting, worked out at build time (shared/listings/highlightedCode.ts). */
    highlight: { c: EncodedHighlight; ts: EncodedHighlight };
    /** The C lines another kernel release shows otherwise, highlighted in `highlight.c`'s kinds (build/listingsPlugin.ts). */
    releaseLines: Record<string, number[]>;
    /**
     * Per release and edits switch ("6.19 on", "6.19 off"), where the pane differs from `cText`:
     * its replaced lines (line → text) and the notes on lines built otherwise; absent: no difference.
     */
    releases: Record<string, ReleaseView>;
  };
  export type ReleaseLink = { since: string; commits: string[]; before: boolean };
  export type ReleaseView = {
    lines: Record<number, string>;
    notes: { line: number; built: string; links: ReleaseLink[] }[];
  };
  const listings: Partial<Record<Variant, Record<ModuleName, BundledListing>>>;
  export default listings;
}
