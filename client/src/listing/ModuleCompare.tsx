/**
 * Why one file over 120 lines: it is one component (ModuleCompare, ~85 lines). The two sides, split
 * side by side or stacked, and the explanation under them share the step pointed at and the one
 * pinned, which are this component's state; split, that state would be lifted and handed around.
 */
import { useCallback, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Group, Panel, Separator } from "react-resizable-panels";
import type { BundledListing } from "virtual:listings";
import type { ModuleName, StepId, Variant } from "../../../shared/protocol/steps.ts";
import { useDisplay } from "../clock/displayClock.ts";
import { litCall } from "./litLine.ts";
import { sideFiles } from "./compareSides.ts";
import type { LineNote } from "./Listing.tsx";
import { ListingSide } from "./ListingSide.tsx";
import { type ExplainedBecause, StepExplanation } from "./StepExplanation.tsx";
import { useMediaQuery } from "../app/useMediaQuery.ts";
import { useRememberedLayout } from "../layout/useRememberedLayout.ts";
import { InExplanationSlot } from "./explanationSlots.tsx";

export type ModuleCompareProps = {
  module: ModuleName;
  listing: BundledListing;
  /** The listing variant shown: its lines are lit from the display clock where they are drawn (ListingLine). */
  variant: Variant;
  /** C lines the lesson step talks about. */
  marked?: ReadonlySet<number>;
  /** The published listing's bug notes for the C side (shared/content/listingBugs.ts), merged after the others. */
  bugNotes?: Readonly<Record<number, readonly LineNote[]>>;
  /** A C line asked for from the real kernel's oops panel (Listing's `focus`). */
  focus?: { line: number };
};

/** Below this width the two listings stack instead of sharing the row. */
const SIDE_BY_SIDE = "(min-width: 760px)";

/**
 * One module's C listing beside the TS that really ran, Compiler Explorer style: each step has a
 * colour band in both; pointing at (hovering, or focusing the gutter button of) a mapped line
 * lights its partner and explains the step; pressing the button pins that explanation.
 */
export function ModuleCompare({ module, listing, variant, marked, bugNotes, focus }: ModuleCompareProps) {
  const { map } = listing;
  const { t } = useTranslation();
  // The step explained while nothing is pointed at: the module's call, if it runs in this listing.
  const currentStep = useDisplay((state) => litCall(state, { module, variant, side: "c" })?.step);
  const [pointed, setPointed] = useState<StepId | undefined>();
  const [pinnedStep, setPinned] = useState<StepId | undefined>();
  // A pin made in the other listing (before a variant switch) counts only if this one has the step.
  const pinned = pinnedStep && map.byStep[pinnedStep] ? pinnedStep : undefined;
  const sideBySide = useMediaQuery(SIDE_BY_SIDE);
  const split = useRememberedLayout(`compare-${module}`);
  const { c: cFile, ts: tsFile } = sideFiles(module, listing);
  const toggle = useCallback(
    (step: StepId | undefined) => setPinned((was) => (was === step ? undefined : step)),
    [],
  );
  const shared = {
    module,
    listing,
    variant,
    pointed,
    pinned,
    onPoint: setPointed,
    onToggle: toggle,
  };
  const cPane = <ListingSide side="c" {...shared} marked={marked} extraNotes={bugNotes} focus={focus} />;
  const tsPane = <ListingSide side="ts" {...shared} />;

  const explained = pointed ?? pinned ?? currentStep;
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

function lineText(text: string, line: number): string {
  return (text.split("\n")[line - 1] ?? "").trim();
}
