/**
 * How a lesson step names the C lines it talks about: by their text, never by number, so the
 * marks follow the listing when it is edited. A unit test checks each marker against the listing.
 */
export type LineMarker =
  /** The one line containing this text. */
  | { readonly text: string }
  /** The lines from the one containing `from` to the one containing `to`, both included. */
  | { readonly from: string; readonly to: string };

/** 1-based lines of `source` holding `needle`. */
export function linesHolding(source: string, needle: string): number[] {
  const found: number[] = [];
  source.split("\n").forEach((line, index) => {
    if (line.includes(needle)) found.push(index + 1);
  });
  return found;
}

/**
 * The lines the markers name in `source`. A marker that does not name exactly one place (another
 * listing, where the text is absent or repeated) marks nothing rather than a wrong line.
 */
export function markedLines(source: string, markers: readonly LineMarker[]): Set<number> {
  const lines = new Set<number>();
  for (const marker of markers) {
    if ("text" in marker) {
      const [line, ...more] = linesHolding(source, marker.text);
      if (line !== undefined && more.length === 0) lines.add(line);
      continue;
    }
    const [from, ...moreFrom] = linesHolding(source, marker.from);
    const [to, ...moreTo] = linesHolding(source, marker.to);
    if (from === undefined || to === undefined || moreFrom.length > 0 || moreTo.length > 0 || to < from)
      continue;
    for (let line = from; line <= to; line++) lines.add(line);
  }
  return lines;
}
