declare module "virtual:listings" {
  import type { Bilingual } from "../../shared/kernelFacts.ts";
  import type { EncodedHighlight } from "../../shared/highlightedCode.ts";
  import type { StepLineMap } from "../../shared/stepLines.ts";
  import type { ModuleName, Variant } from "../../shared/steps.ts";
  export type BundledListing = {
    cFile: string;
    tsFile: string;
    cText: string;
    tsText: string;
    map: StepLineMap;
    /** Why a line has no partner: line → note, per side (shared/lineNotes.ts). */
    notes: { c: Record<number, Bilingual>; ts: Record<number, Bilingual> };
    /** Each side's syntax highlighting, worked out at build time (shared/highlightedCode.ts). */
    highlight: { c: EncodedHighlight; ts: EncodedHighlight };
  };
  const listings: Partial<Record<Variant, Record<ModuleName, BundledListing>>>;
  export default listings;
}
