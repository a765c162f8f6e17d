import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { DRAW_ALL_ROWS, MAX_SEQUENCE_ROWS, SequenceDiagram } from "../client/src/dock/SequenceDiagram.tsx";
import type { SequenceItem } from "../client/src/dock/sequenceModel.ts";
import { labI18n } from "./helpers/i18n.ts";

/** `count` call rows, each returning its own number, so a drawn row names its place in the run. */
const rows = (count: number): SequenceItem[] =>
  Array.from({ length: count }, (_, i) => ({
    kind: "call",
    side: i % 2 ? "client" : "server",
    step: "bind",
    result: i,
    pending: false,
  }));

function diagram(items: SequenceItem[]): string {
  return renderToStaticMarkup(
    <I18nextProvider i18n={labI18n("en")}>
      <SequenceDiagram items={items} />
    </I18nextProvider>,
  );
}

const drawnRows = (html: string) => html.match(/<g class="seq-call/g)?.length ?? 0;

describe("the sequence diagram of a long run", () => {
  it("draws every row of a run up to the rows a few connections take", () => {
    const html = diagram(rows(DRAW_ALL_ROWS));
    expect(drawnRows(html)).toBe(DRAW_ALL_ROWS);
    expect(html).not.toContain("earlier");
  });

  it("keeps the newest rows of a 35,000-event run, says how many earlier ones it leaves out, and puts only those in view in the DOM", () => {
    const html = diagram(rows(10_000));
    // Drawn before the pane is measured: the first of the rows kept, not all 400.
    expect(drawnRows(html)).toBeGreaterThan(0);
    expect(drawnRows(html)).toBeLessThan(DRAW_ALL_ROWS);
    expect(html).toContain(`bind → ${10_000 - MAX_SEQUENCE_ROWS}<`);
    expect(html).not.toContain(`bind → ${10_000 - MAX_SEQUENCE_ROWS - 1}<`);
    expect(html).toContain("9600 earlier steps of this run are not drawn; the newest 400 are");
    // The image keeps its whole height, and its text alternative every row kept, for a screen reader.
    expect(html).toContain(`height="${44 + MAX_SEQUENCE_ROWS * 26 + 12}"`);
    const description = /<desc[^>]*>([^<]*)<\/desc>/.exec(html)?.[1] ?? "";
    expect(description.match(/bind/g)?.length).toBe(MAX_SEQUENCE_ROWS);
  });
});
