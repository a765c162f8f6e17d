/**
 * The lesson's cited kernel texts — every fact, symbol, listing bug and step explanation with its
 * sources, the largest part of the page's own code — as one chunk the page fetches after its first
 * paint (useKernelContent.ts), not with the first load (P4 in docs/performance.md).
 */
export { KERNEL_FACTS } from "../../../shared/content/kernelFacts.ts";
export { KERNEL_SYMBOLS } from "../../../shared/content/kernelSymbols.ts";
export { locateBugs } from "../../../shared/content/listingBugs.ts";
export {
  explanationSources,
  kernelFact,
  kernelSymbol,
  STEP_EXPLANATIONS,
} from "../../../shared/content/stepExplanations.ts";
