import { useCallback, useEffect, useMemo, useState } from "react";
import { LESSON, type LessonStep } from "../../../shared/content/lesson/lessonSteps.ts";
import { REAL_KERNEL_LAB_PORT } from "../../../shared/protocol/engineMessages.ts";
import { MODULES, type ModuleName } from "../../../shared/protocol/steps.ts";
import type { DisplayClock } from "../clock/displayClock.ts";
import { useDisplay } from "../clock/displayClock.ts";
import { useLabSettings } from "../clock/useLabStores.ts";
import type { LabConnection } from "../connection/labConnection.ts";
import { useLabCommands } from "../connection/useLabCommands.ts";
import type { DockTab } from "../dock/useDock.ts";
import { useOopsDock } from "../dock/useOopsDock.ts";
import { isHeld, useSettledActive } from "../layout/useSettledActive.ts";
import { activeModule } from "../layout/activeModule.ts";
import type { NarrowView } from "../layout/NarrowWorkbench.tsx";
import { nextStart, phoneFollows, type StartedModule } from "../layout/phoneFollow.ts";
import { WIDE } from "../layout/Workbench.tsx";
import { stepMarks } from "../lesson/useLesson.ts";
import { usePlayground } from "../playground/usePlayground.ts";
import { useEngineProgress } from "../realKernel/useEngineProgress.ts";
import { useRealKernelView } from "../realKernel/useRealKernelView.ts";
import { runRelease } from "../releases/runRelease.ts";
import { useKernelRelease } from "../releases/useKernelRelease.ts";
import { useLabActions } from "./useLabActions.ts";
import { useLeaveWarning } from "./useLeaveWarning.ts";
import { useLabUrlState } from "./useLabUrlState.ts";
import { useMediaQuery } from "./useMediaQuery.ts";

/**
 * What the page decides above its views: the lab's settings and commands, the release shown, which
 * dock tab and phone view are open, where an oops goes, the module a phone follows. App.tsx lays
 * these out; the moment each view shows it reads from the display clock itself.
 */
export function useLabPage(connection: LabConnection | null, clock: DisplayClock | null) {
  const lab = useLabSettings(connection);
  const { hello } = lab;
  useLabUrlState(lab, connection);
  const kernel = useKernelRelease(lab, connection);
  const recorded = useDisplay((state) => state.recorded);
  // An opened run shows its own release's listings and facts; the live pick stays as it is.
  const shownRelease = recorded ? runRelease(recorded) : kernel;
  useLeaveWarning(
    useDisplay((state) =>
      MODULES.some((module) => ["loading", "live"].includes(state.liveMoment.modules[module].state)),
    ),
  );
  const realKernel = useRealKernelView(
    lab.engine,
    useDisplay((state) => state.moment.bootRecords),
  );
  const engineProgress = useEngineProgress(lab.engine);
  // The real kernel's sockets are the guest's, on the listings' own port; the Node lab's, the host's.
  const labPort = realKernel.real ? REAL_KERNEL_LAB_PORT : hello?.labPort;
  const [dockTab, selectDockTab] = useState<DockTab>("printk");
  // On a phone the dock is the Log view: an oops shows it there.
  const [view, setView] = useState<NarrowView>("lesson");
  const wide = useMediaQuery(WIDE);
  const openOopsTab = useCallback(() => {
    selectDockTab("oops");
    if (!wide) setView("log");
  }, [wide]);
  // Oopses go to the dock (the setup strip keeps its row); a new one of the running VM opens its tab.
  const oops = useOopsDock({
    real: realKernel.real,
    oopses: useDisplay((state) => state.moment.oopses),
    vms: useDisplay((state) => state.moment.vms),
    stopped: lab.engine?.status === "stopped",
    variant: lab.variant,
    live: useDisplay((state) => state.past === null && !state.recorded),
    open: openOopsTab,
  });
  // The oops tab goes with its last oops (dismissed, or the Node lab chosen): printk takes its place.
  const noOopses = oops.entries.length === 0;
  useEffect(() => {
    if (noOopses && dockTab === "oops") selectDockTab("printk");
  }, [noOopses, dockTab]);
  // On a phone, starting a module shows its line above the log: the code view, printk in the dock.
  // A wide screen shows both already; the dock keeps the tab the learner chose (printk counts what is new).
  // …and keeps following the module started (not the other one's later calls): phoneFollow.ts.
  const [started, setStarted] = useState<StartedModule>();
  const onStart = useCallback(
    (module: ModuleName) => {
      if (wide) return;
      setStarted((before) => nextStart(before, module));
      setView("code");
      selectDockTab("printk");
    },
    [wide],
  );
  const labCommands = useLabCommands(connection, onStart);
  const playground = usePlayground(connection, lab.learnerBuild);
  const commands = useLabActions(labCommands, clock, playground.buildFor, realKernel.real, lab.variant);
  const traceSyscalls = useCallback(
    (on: boolean) => connection?.send({ type: "syscalls.trace", on }),
    [connection],
  );
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const openShortcuts = useCallback(() => setShortcutsOpen(true), []);
  const [lessonStep, setLessonStep] = useState<LessonStep>(LESSON[0] as LessonStep);
  const marked = useMemo(() => stepMarks(lessonStep), [lessonStep]);
  const pace = useDisplay((state) => state.pace);
  // The module a phone's code view follows: the selector returns `started` itself, or undefined.
  const followed = useDisplay((state) => phoneFollows(started, lab.stepMode, state.liveMoment.modules));
  const movedLast = useDisplay((state) =>
    activeModule(state.shown.record, state.shown.start, state.shown.end, state.moment.modules),
  );
  const movedLastHeld = useDisplay((state) => isHeld(state.moment.modules, movedLast));
  const shownActive = useSettledActive(movedLast, { activeHeld: movedLastHeld, stepMode: lab.stepMode });

  return {
    lab,
    kernel,
    shownRelease,
    realKernel,
    engineProgress,
    labPort,
    dockTab,
    selectDockTab,
    view,
    setView,
    wide,
    oops,
    commands,
    playground,
    traceSyscalls,
    shortcutsOpen,
    setShortcutsOpen,
    openShortcuts,
    lessonStep,
    setLessonStep,
    marked,
    pace,
    followed,
    shownActive,
  };
}
