import { useCallback, useMemo, useState } from "react";
import { Group, Panel, Separator } from "react-resizable-panels";
import type { BundledListing } from "virtual:listings";
import type { StepLineMap } from "../../shared/stepLines.ts";
import { type ModuleName, STEP_IDS, type StepId } from "../../shared/steps.ts";
import type { CurrentStep } from "./labView.ts";
import { type LineNote, type LineTone, Listing } from "./Listing.tsx";
import { type ExplainedBecause, StepExplanation } from "./StepExplanation.tsx";
import { useMediaQuery } from "./useMediaQuery.ts";

export type ModuleCompareProps = {
  module: ModuleName;
  listing: BundledListing;
  current?: CurrentStep;
  tone?: LineTone;
  /** The lines whose printk printed last, in each listing. */
  printed: { cLine?: number; tsLine?: number };
};

type Side = "c" | "ts";

/** Below this width the two listings stack instead of sharing the row. */
const SIDE_BY_SIDE = "(min-width: 760px)";

/**
 * One module's C listing beside the TS that really ran, Compiler Explorer style: each step has a
 * colour band in both; pointing at (hovering, or focusing the gutter button of) a mapped line
 * lights its partner and explains the step; pressing the button pins that explanation.
 */
export function ModuleCompare({ module, listing, current, tone, printed }: ModuleCompareProps) {
  const { map } = listing;
  const [pointed, setPointed] = useState<StepId | undefined>();
  const [pinned, setPinned] = useState<StepId | undefined>();
  const sideBySide = useMediaQuery(SIDE_BY_SIDE);
  const cFile = `${module}.c`;
  const tsFile = baseName(listing.tsFile);

  const bands = useMemo(() => stepBands(map, STEP_IDS[module]), [map, module]);
  const mapped = useMemo(
    () => ({ c: gutterLabels(map, "c", cFile, tsFile), ts: gutterLabels(map, "ts", tsFile, cFile) }),
    [map, cFile, tsFile],
  );
  const notes = useMemo(() => ({ c: asNotes(listing.notes.c), ts: asNotes(listing.notes.ts) }), [listing]);
  const linked = useMemo(() => {
    const lines = pointed ? map.byStep[pointed] : undefined;
    return { c: new Set(lines ? [lines.cLine] : []), ts: new Set(lines ? [lines.tsLine] : []) };
  }, [map, pointed]);

  const onCHover = useCallback((line: number | undefined) => setPointed(line === undefined ? undefined : map.byCLine[line]), [map]);
  const onTsHover = useCallback((line: number | undefined) => setPointed(line === undefined ? undefined : map.byTsLine[line]), [map]);
  const toggle = useCallback((step: StepId | undefined) => setPinned((was) => (was === step ? undefined : step)), []);
  const onCSelect = useCallback((line: number) => toggle(map.byCLine[line]), [map, toggle]);
  const onTsSelect = useCallback((line: number) => toggle(map.byTsLine[line]), [map, toggle]);

  const pinnedLines = pinned ? map.byStep[pinned] : undefined;
  const cPane = (
    <Listing
      label={cFile}
      code={listing.cText}
      language="c"
      currentLine={current?.cLine}
      tone={tone}
      printedLine={printed.cLine}
      bands={bands.c}
      linked={linked.c}
      notes={notes.c}
      mapped={mapped.c}
      selectedLine={pinnedLines?.cLine}
      onLineHover={onCHover}
      onLineSelect={onCSelect}
    />
  );
  const tsPane = (
    <Listing
      label={tsFile}
      code={listing.tsText}
      language="typescript"
      currentLine={current?.tsLine}
      tone={tone}
      printedLine={printed.tsLine}
      bands={bands.ts}
      linked={linked.ts}
      notes={notes.ts}
      mapped={mapped.ts}
      selectedLine={pinnedLines?.tsLine}
      onLineHover={onTsHover}
      onLineSelect={onTsSelect}
    />
  );

  const explained = pointed ?? pinned ?? current?.step;
  const because: ExplainedBecause = pointed ? "pointed" : pinned ? "pinned" : "current";
  const lines = explained ? map.byStep[explained] : undefined;
  return (
    <div className="compare">
      <p className="compare-caption">
        C as listed beside <code>{listing.tsFile}</code>, the module the lab runs. Each step has one colour in both; point at a
        coloured line (or focus its line number) to light its partner.
      </p>
      {sideBySide ? (
        <Group orientation="horizontal" className="compare-split">
          <Panel id={`${module}-c`} defaultSize="50%" minSize="20%">
            {cPane}
          </Panel>
          <Separator className="compare-separator" aria-label={`Resize ${cFile} and ${tsFile}`} />
          <Panel id={`${module}-ts`} defaultSize="50%" minSize="20%">
            {tsPane}
          </Panel>
        </Group>
      ) : (
        <div className="compare-stack">
          {cPane}
          {tsPane}
        </div>
      )}
      <StepExplanation
        module={module}
        step={explained}
        because={because}
        cLine={lines ? { file: cFile, number: lines.cLine, text: lineText(listing.cText, lines.cLine) } : undefined}
        tsLine={lines ? { file: tsFile, number: lines.tsLine, text: lineText(listing.tsText, lines.tsLine) } : undefined}
        onUnpin={() => setPinned(undefined)}
      />
    </div>
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function lineText(text: string, line: number): string {
  return (text.split("\n")[line - 1] ?? "").trim();
}

/** line → band index, one band per step in the module's step order, the same in both listings. */
function stepBands(map: StepLineMap, steps: readonly StepId[]): Record<Side, Record<number, number>> {
  const bands: Record<Side, Record<number, number>> = { c: {}, ts: {} };
  steps.forEach((step, index) => {
    const lines = map.byStep[step];
    if (!lines) return;
    bands.c[lines.cLine] = index;
    bands.ts[lines.tsLine] = index;
  });
  return bands;
}

/** The accessible name of each mapped line's gutter button: the step and where its partner is. */
function gutterLabels(map: StepLineMap, side: Side, file: string, otherFile: string): Record<number, string> {
  const labels: Record<number, string> = {};
  for (const [step, lines] of Object.entries(map.byStep)) {
    if (!lines) continue;
    const here = side === "c" ? lines.cLine : lines.tsLine;
    const there = side === "c" ? lines.tsLine : lines.cLine;
    labels[here] = `${file} line ${here}: ${step}, partner ${otherFile} line ${there}`;
  }
  return labels;
}

function asNotes(byLine: Record<number, string>): Record<number, readonly LineNote[]> {
  const notes: Record<number, readonly LineNote[]> = {};
  for (const [line, text] of Object.entries(byLine)) notes[Number(line)] = [{ text, kind: "note" }];
  return notes;
}
