import type { TFunction } from "i18next";
import { useCallback, useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Group, Panel, Separator } from "react-resizable-panels";
import type { BundledListing } from "virtual:listings";
import type { Bilingual } from "../../../shared/content/bilingual.ts";
import type { StepLineMap } from "../../../shared/listings/stepLines.ts";
import { type ModuleName, STEP_IDS, type StepId } from "../../../shared/protocol/steps.ts";
import type { CurrentStep } from "../connection/labView.ts";
import { mergeNotes } from "./bugNotes.ts";
import { currentLanguage, type Language } from "../i18n/i18n.ts";
import { type LineNote, type LineTone, Listing } from "./Listing.tsx";
import { type ExplainedBecause, StepExplanation } from "./StepExplanation.tsx";
import { useMediaQuery } from "../app/useMediaQuery.ts";
import { useRememberedLayout } from "../layout/useRememberedLayout.ts";
import { InExplanationSlot } from "./explanationSlots.tsx";

export type ModuleCompareProps = {
  module: ModuleName;
  listing: BundledListing;
  current?: CurrentStep;
  tone?: LineTone;
  /** The lines whose printk printed last, in each listing. */
  printed: { cLine?: number; tsLine?: number };
  /** C lines the lesson step talks about. */
  marked?: ReadonlySet<number>;
  /** The published listing's bug notes for the C side (shared/content/listingBugs.ts), merged after the others. */
  bugNotes?: Readonly<Record<number, readonly LineNote[]>>;
  /** A C line asked for from the real kernel's oops panel (Listing's `focus`). */
  focus?: { line: number };
};

type Side = "c" | "ts";

/** Below this width the two listings stack instead of sharing the row. */
const SIDE_BY_SIDE = "(min-width: 760px)";

/**
 * One module's C listing beside the TS that really ran, Compiler Explorer style: each step has a
 * colour band in both; pointing at (hovering, or focusing the gutter button of) a mapped line
 * lights its partner and explains the step; pressing the button pins that explanation.
 */
export function ModuleCompare({
  module,
  listing,
  current,
  tone,
  printed,
  marked,
  bugNotes,
  focus,
}: ModuleCompareProps) {
  const { map } = listing;
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const [pointed, setPointed] = useState<StepId | undefined>();
  const [pinnedStep, setPinned] = useState<StepId | undefined>();
  // A pin made in the other listing (before a variant switch) counts only if this one has the step.
  const pinned = pinnedStep && map.byStep[pinnedStep] ? pinnedStep : undefined;
  const sideBySide = useMediaQuery(SIDE_BY_SIDE);
  const split = useRememberedLayout(`compare-${module}`);
  const cFile = `${module}.c`;
  const tsFile = baseName(listing.tsFile);

  const bands = useMemo(() => stepBands(map, STEP_IDS[module]), [map, module]);
  const mapped = useMemo(
    () => ({ c: gutterLabels(t, map, "c", cFile, tsFile), ts: gutterLabels(t, map, "ts", tsFile, cFile) }),
    [t, map, cFile, tsFile],
  );
  const notes = useMemo(
    () => ({
      c: mergeNotes(asNotes(listing.notes.c, language), bugNotes),
      ts: asNotes(listing.notes.ts, language),
    }),
    [listing, bugNotes, language],
  );
  const linked = useMemo(() => {
    const lines = pointed ? map.byStep[pointed] : undefined;
    return { c: new Set(lines ? [lines.cLine] : []), ts: new Set(lines ? [lines.tsLine] : []) };
  }, [map, pointed]);

  const onCHover = useCallback(
    (line: number | undefined) => setPointed(line === undefined ? undefined : map.byCLine[line]),
    [map],
  );
  const onTsHover = useCallback(
    (line: number | undefined) => setPointed(line === undefined ? undefined : map.byTsLine[line]),
    [map],
  );
  const toggle = useCallback(
    (step: StepId | undefined) => setPinned((was) => (was === step ? undefined : step)),
    [],
  );
  const onCSelect = useCallback((line: number) => toggle(map.byCLine[line]), [map, toggle]);
  const onTsSelect = useCallback((line: number) => toggle(map.byTsLine[line]), [map, toggle]);

  const pinnedLines = pinned ? map.byStep[pinned] : undefined;
  const cPane = (
    <Listing
      label={cFile}
      code={listing.cText}
      highlight={listing.highlight.c}
      language="c"
      currentLine={current?.cLine}
      tone={tone}
      printedLine={printed.cLine}
      bands={bands.c}
      linked={linked.c}
      notes={notes.c}
      mapped={mapped.c}
      selectedLine={pinnedLines?.cLine}
      marked={marked}
      focus={focus}
      onLineHover={onCHover}
      onLineSelect={onCSelect}
    />
  );
  const tsPane = (
    <Listing
      label={tsFile}
      title={listing.tsFile}
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
      {sideBySide ? (
        <Group
          orientation="horizontal"
          className="compare-split"
          defaultLayout={split.defaultLayout}
          onLayoutChanged={split.onLayoutChanged}
        >
          <Panel id={`${module}-c`} defaultSize="50%" minSize="20%">
            {cPane}
          </Panel>
          <Separator
            className="compare-separator"
            aria-label={t("compare.resize", { c: cFile, ts: tsFile })}
          />
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
      <InExplanationSlot module={module}>
        <p className="compare-caption">
          <Trans
            i18nKey="compare.caption"
            values={{ file: listing.tsFile }}
            components={[<code key="file" />]}
          />
        </p>
        <StepExplanation
          module={module}
          step={explained}
          because={because}
          cLine={
            lines
              ? { file: cFile, number: lines.cLine, text: lineText(listing.cText, lines.cLine) }
              : undefined
          }
          tsLine={
            lines
              ? { file: tsFile, number: lines.tsLine, text: lineText(listing.tsText, lines.tsLine) }
              : undefined
          }
          onUnpin={() => setPinned(undefined)}
        />
      </InExplanationSlot>
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
function gutterLabels(
  t: TFunction,
  map: StepLineMap,
  side: Side,
  file: string,
  otherFile: string,
): Record<number, string> {
  const labels: Record<number, string> = {};
  for (const [step, lines] of Object.entries(map.byStep)) {
    if (!lines) continue;
    const here = side === "c" ? lines.cLine : lines.tsLine;
    const there = side === "c" ? lines.tsLine : lines.cLine;
    labels[here] = t("compare.gutter", { file, line: here, step, other: otherFile, otherLine: there });
  }
  return labels;
}

function asNotes(byLine: Record<number, Bilingual>, language: Language): Record<number, readonly LineNote[]> {
  const notes: Record<number, readonly LineNote[]> = {};
  for (const [line, text] of Object.entries(byLine))
    notes[Number(line)] = [{ text: text[language], kind: "note" }];
  return notes;
}
