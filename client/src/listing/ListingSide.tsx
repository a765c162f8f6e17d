import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { BundledListing } from "virtual:listings";
import { type ModuleName, STEP_IDS, type StepId, type Variant } from "../../../shared/protocol/steps.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { mergeNotes } from "./bugNotes.ts";
import {
  asNotes,
  gutterLabels,
  lineOf,
  type Side,
  sideFiles,
  stepAtLine,
  stepBands,
} from "./compareSides.ts";
import { type LineNote, Listing } from "./Listing.tsx";

export type ListingSideProps = {
  side: Side;
  module: ModuleName;
  listing: BundledListing;
  /** The listing variant shown, whose lit line the listing reads from the display clock. */
  variant: Variant;
  /** The step pointed at (its lines are lit on both sides) and the one pinned. */
  pointed?: StepId;
  pinned?: StepId;
  onPoint: (step: StepId | undefined) => void;
  onToggle: (step: StepId | undefined) => void;
  /** Lines the lesson step talks about (the C side). */
  marked?: ReadonlySet<number>;
  /** Notes merged after the listing's own (the published listing's bugs, on the C side). */
  extraNotes?: Readonly<Record<number, readonly LineNote[]>>;
  /** A line asked for from the real kernel's oops panel (Listing's `focus`). */
  focus?: { line: number };
};

/** One side of a module's compare: its listing with the step bands, gutter buttons and notes of that side. */
export function ListingSide(props: ListingSideProps) {
  const { side, module, listing, variant, pointed, pinned, onPoint, onToggle } = props;
  const { map } = listing;
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const files = sideFiles(module, listing);
  const { c: cFile, ts: tsFile } = files;
  const bands = useMemo(() => stepBands(map, STEP_IDS[module], side), [map, module, side]);
  const mapped = useMemo(
    () => gutterLabels(t, map, side, { c: cFile, ts: tsFile }),
    [t, map, side, cFile, tsFile],
  );
  const own = side === "c" ? listing.notes.c : listing.notes.ts;
  const { extraNotes } = props;
  const notes = useMemo(() => mergeNotes(asNotes(own, language), extraNotes), [own, extraNotes, language]);
  const linked = useMemo(() => {
    const lines = pointed ? map.byStep[pointed] : undefined;
    return new Set(lines ? [lineOf(lines, side)] : []);
  }, [map, pointed, side]);
  const onHover = useCallback(
    (line: number | undefined) => onPoint(line === undefined ? undefined : stepAtLine(map, side, line)),
    [map, side, onPoint],
  );
  const onSelect = useCallback(
    (line: number) => onToggle(stepAtLine(map, side, line)),
    [map, side, onToggle],
  );
  // One object while the side shows the same listing: its lines read whether they are lit through it.
  const lit = useMemo(() => ({ module, variant, side }), [module, variant, side]);
  const pinnedLines = pinned ? map.byStep[pinned] : undefined;
  const c = side === "c";
  return (
    <Listing
      label={files[side]}
      title={c ? undefined : listing.tsFile}
      code={c ? listing.cText : listing.tsText}
      highlight={listing.highlight[side]}
      language={c ? "c" : "typescript"}
      lit={lit}
      bands={bands}
      linked={linked}
      notes={notes}
      mapped={mapped}
      selectedLine={pinnedLines && lineOf(pinnedLines, side)}
      marked={props.marked}
      focus={props.focus}
      onLineHover={onHover}
      onLineSelect={onSelect}
    />
  );
}
