import {
  codeLines,
  decodeHighlight,
  type EncodedHighlight,
  type HighlightedToken,
} from "../../../shared/listings/highlightedCode.ts";

type Lines = readonly HighlightedToken[][];

/** Decoded once per highlighting the build made (virtual:listings), however often a listing mounts. */
const decoded = new WeakMap<EncodedHighlight, Lines>();
/** Texts the build did not highlight, shown plain, one token a line. */
const plain = new Map<string, Lines>();

/** A listing's tokens, line by line, from the highlighting its owner passes with the text. */
export function highlightedLines(code: string, highlight: EncodedHighlight | undefined): Lines {
  if (highlight) {
    const known = decoded.get(highlight);
    if (known) return known;
    const lines = decodeHighlight(code, highlight);
    decoded.set(highlight, lines);
    return lines;
  }
  let lines = plain.get(code);
  if (!lines) {
    lines = codeLines(code).map((text) => [{ className: "token plain", content: text }]);
    plain.set(code, lines);
  }
  return lines;
}
