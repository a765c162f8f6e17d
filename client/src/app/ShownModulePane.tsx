import { type ReactNode, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { MODULES, type ModuleName, type Variant } from "../../../shared/protocol/steps.ts";
import { useDisplay } from "../clock/displayClock.ts";
import type { LabCommands } from "../connection/useLabCommands.ts";
import type { ModuleView } from "../connection/labView.ts";
import { ModulePane } from "../listing/ModulePane.tsx";
import type { PlaygroundState } from "../playground/usePlayground.ts";
import { KernelPauseView } from "../realKernel/KernelPauseView.tsx";
import { timeWaitNote } from "../realKernel/timeWaitNote.ts";

export type ShownModulePaneProps = {
  module: ModuleName;
  tools: ReactNode;
  /** The variant the next insmod runs. */
  variant: Variant;
  stepMode: boolean;
  /** The engine is the real kernel. */
  real: boolean;
  labPort: number | undefined;
  commands: LabCommands;
  marked: (module: ModuleName, variant: Variant, cText: string) => ReadonlySet<number> | undefined;
  focus?: { line: number };
  progress?: string;
  playground: Pick<PlaygroundState, "buildFor" | "sourceOf">;
};

/**
 * One module's pane, reading its own module from the display clock: at the moment shown (the
 * listing variant, the learner's build, the TIME_WAIT note) and live (its controls act on the live
 * lab). Its lit line is not read here: the listing's lines read it themselves (ListingLine).
 */
export function ShownModulePane(props: ShownModulePaneProps) {
  const { module, variant, stepMode, real, labPort, playground } = props;
  const { t } = useTranslation();
  const view = useDisplay((state) => state.moment.modules[module]);
  const liveView = useDisplay((state) => state.liveMoment.modules[module]);
  const other = MODULES.find((m) => m !== module) as ModuleName;
  const otherLive = useDisplay((state) => state.liveMoment.modules[other]);
  const tcp = useDisplay((state) => state.moment.tcp);
  const lineNote = useMemo(
    () => timeWaitNote(view, tcp, labPort, (seconds, port) => t("module.timeWait", { seconds, port })),
    [view, tcp, labPort, t],
  );
  const paused = stepMode && real;
  return (
    <ModulePane
      module={module}
      tools={props.tools}
      view={view}
      liveView={liveView}
      variant={variant}
      stepMode={stepMode}
      kernelPause={paused ? <ShownKernelPause module={module} /> : null}
      commands={props.commands}
      marked={props.marked}
      focus={props.focus}
      progress={props.progress}
      vmPausedBy={real ? vmPausedBy(other, otherLive) : undefined}
      stopNote={paused ? t("stepMode.stopNote") : undefined}
      learner={learnerShown(view, module, real && variant, playground)}
      lineNote={lineNote}
    />
  );
}

/** Where the real kernel's VM is paused, from the events up to the moment shown. */
function ShownKernelPause({ module }: { module: ModuleName }) {
  const shown = useDisplay((state) => state.shown);
  const events = useMemo(() => shown.record.slice(shown.start, shown.end), [shown]);
  return <KernelPauseView module={module} events={events} />;
}

/** The other module, when the VM is stopped before one of its calls (the whole VM waits for it). */
function vmPausedBy(other: ModuleName, view: ModuleView): { module: ModuleName; line: number } | undefined {
  const current = view.current;
  return current?.phase === "waiting" ? { module: other, line: current.cLine } : undefined;
}

/**
 * The learner's build a module's pane shows: the one it runs while loading, live or failed (its
 * oops links to the build's lines), otherwise the one Start would run on the real kernel.
 */
function learnerShown(
  view: ModuleView,
  module: ModuleName,
  /** The listing picked, on the real kernel; false on the Node lab. */
  real: Variant | false,
  playground: Pick<PlaygroundState, "buildFor" | "sourceOf">,
): { buildId: number; code: string } | undefined {
  const running = view.state !== "unloaded" ? view.learnerBuild : undefined;
  const buildId =
    running ?? (real && view.state === "unloaded" ? playground.buildFor(module, real) : undefined);
  if (buildId === undefined) return undefined;
  const code = playground.sourceOf(buildId, module);
  return code === undefined ? undefined : { buildId, code };
}
