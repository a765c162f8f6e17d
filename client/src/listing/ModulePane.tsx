/**
 * Why one file over 120 lines: it is one component (ModulePane, ~80 lines) under its props, each
 * documented (~30 lines): the module's head (controls, step buttons, bugs) over its listings.
 */
import { type ReactNode, useContext, useMemo } from "react";
import { useTranslation } from "react-i18next";
import listings from "virtual:listings";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import { bugNotesFor, mergeNotes } from "./bugNotes.ts";
import type { LabCommands } from "../connection/useLabCommands.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { useKernelContent } from "../lesson/useKernelContent.ts";
import type { ModuleView } from "../connection/labView.ts";
import type { LineNote } from "./Listing.tsx";
import { ListingBugs } from "./ListingBugs.tsx";
import { LearnerListing } from "./LearnerListing.tsx";
import { ModuleCompare } from "./ModuleCompare.tsx";
import { ModuleControls } from "../controls/ModuleControls.tsx";
import { shownVariant } from "./shownVariant.ts";
import { StepControls } from "../controls/StepControls.tsx";
import { KernelReleaseContext, ReleaseEditsContext } from "../releases/kernelReleaseContext.ts";
import { listingAtRelease } from "../releases/releaseListing.ts";
import { useReleaseLineNotes } from "../releases/releaseLineNotes.ts";

export type ModulePaneProps = {
  module: ModuleName;
  /** The module as the listings show it (the moment picked on the timeline, or live). */
  view: ModuleView;
  /** The module as it is now: its controls act on the live lab. */
  liveView: ModuleView;
  /** The variant the next insmod runs. */
  variant: Variant;
  stepMode: boolean;
  commands: LabCommands;
  marked: (module: ModuleName, variant: Variant, cText: string) => ReadonlySet<number> | undefined;
  focus?: { line: number };
  /** Where the real kernel's VM is paused, in step mode (realKernel/KernelPauseView). */
  kernelPause?: ReactNode;
  /** How far the real kernel's VM is, while a module waits for it (ModuleControls). */
  progress?: string;
  /** Real kernel: the other module holds the whole VM stopped before one of its calls. */
  vmPausedBy?: { module: ModuleName; line: number };
  /** What Stop does beyond rmmod here (real kernel, step mode: the exit function stops too). */
  stopNote?: string;
  /** A note for one C line from the moment shown (a bind refused by a port in TIME_WAIT). */
  lineNote?: { line: number; note: LineNote };
  /** The layout's buttons for this pane (show it, maximise it), at the end of its first row. */
  tools?: ReactNode;
  /** The learner's own build the pane shows instead of the listing (LearnerListing). */
  learner?: { buildId: number; code: string };
};

/** One module: its controls, its C beside its TS with the current line lit, and its listing's bugs. */
export function ModulePane({
  module,
  view,
  liveView,
  variant: selected,
  stepMode,
  commands,
  marked,
  focus,
  progress,
  kernelPause,
  lineNote,
  vmPausedBy,
  stopNote,
  tools,
  learner,
}: ModulePaneProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const variant = shownVariant(view, selected);
  // The picked release's listing (or a recorded run's): its lines, as that release builds them.
  const series = useContext(KernelReleaseContext);
  const edits = useContext(ReleaseEditsContext);
  const bundled = listings[variant]?.[module];
  const listing = bundled && listingAtRelease(bundled, variant, module, series, edits);
  const releaseNotes = useReleaseLineNotes(variant, bundled, series, edits);
  const locateBugs = useKernelContent()?.locateBugs;
  const bugs =
    listing && locateBugs
      ? bugNotesFor(locateBugs, variant, module, listing.cText, language, t("bugs.notePrefix"))
      : undefined;
  // One object while nothing changes: the listing's notes are memoised on it.
  const bugNotes = bugs?.notes;
  const notes = useMemo(() => {
    const withRelease = releaseNotes ? mergeNotes(bugNotes ?? {}, releaseNotes) : bugNotes;
    return lineNote ? mergeNotes(withRelease ?? {}, { [lineNote.line]: [lineNote.note] }) : withRelease;
  }, [bugNotes, releaseNotes, lineNote]);
  return (
    <section className="module" aria-label={t(`module.${module}.region`)}>
      <div className="module-head">
        <ModuleControls
          module={module}
          view={liveView}
          onLoad={() => commands.load(module)}
          onUnload={() => commands.unload(module)}
          progress={progress}
          vmPausedBy={vmPausedBy}
          stopNote={stopNote}
        />
        {stepMode ? (
          <StepControls
            module={module}
            view={liveView}
            onStep={() => commands.step(module)}
            onContinue={() => commands.continueModule(module)}
            vmPausedBy={vmPausedBy}
          />
        ) : null}
        {tools}
        <span className="module-head-break" />
        {kernelPause}
        {bugs ? <ListingBugs file={`${module}.c`} bugs={bugs.bugs} /> : null}
      </div>
      {learner ? (
        <LearnerListing module={module} buildId={learner.buildId} code={learner.code} focus={focus} />
      ) : listing ? (
        <ModuleCompare
          module={module}
          listing={listing}
          variant={variant}
          marked={marked(module, variant, listing.cText)}
          focus={focus}
          bugNotes={notes}
        />
      ) : null}
    </section>
  );
}
