import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { LESSON, type LessonStep } from "../../shared/content/lesson/lessonSteps.ts";
import { REAL_KERNEL_LAB_PORT } from "../../shared/protocol/engineMessages.ts";
import { MODULES, type ModuleName } from "../../shared/protocol/steps.ts";
import { LabDock } from "./app/LabDock.tsx";
import { LabHeader } from "./app/LabHeader.tsx";
import { LabRunFile } from "./app/LabRunFile.tsx";
import { LessonColumn } from "./app/LessonColumn.tsx";
import { SetupStrip } from "./app/SetupStrip.tsx";
import { ShownModulePane } from "./app/ShownModulePane.tsx";
import { ShownTransport } from "./app/ShownTransport.tsx";
import { useLabUrlState } from "./app/useLabUrlState.ts";
import { useLabActions } from "./app/useLabActions.ts";
import { useLeaveWarning } from "./app/useLeaveWarning.ts";
import { useMediaQuery } from "./app/useMediaQuery.ts";
import { writeUrlParams } from "./app/urlState.ts";
import type { DisplayClock } from "./clock/displayClock.ts";
import { DisplayClockContext, useDisplay } from "./clock/displayClock.ts";
import { useLabSettings, useLabStores } from "./clock/useLabStores.ts";
import type { LabConnection } from "./connection/labConnection.ts";
import { useLabCommands } from "./connection/useLabCommands.ts";
import { LabToolbar } from "./controls/LabToolbar.tsx";
import { Notices } from "./controls/Notices.tsx";
import { ShortcutsDialog } from "./controls/ShortcutsDialog.tsx";
import type { DockTab } from "./dock/useDock.ts";
import { useOopsDock } from "./dock/useOopsDock.ts";
import { activeModule } from "./layout/activeModule.ts";
import type { NarrowView } from "./layout/NarrowWorkbench.tsx";
import { nextStart, phoneFollows, type StartedModule } from "./layout/phoneFollow.ts";
import { WIDE, Workbench } from "./layout/Workbench.tsx";
import { modulesSharingTheRoom } from "./layout/sharedRoom.ts";
import { AskedQuestion, PredictionsProvider } from "./lesson/PredictionsProvider.tsx";
import { stepMarks } from "./lesson/useLesson.ts";
import { ExplanationSlot, ExplanationSlotsProvider } from "./listing/explanationSlots.tsx";
import { usePlayground } from "./playground/usePlayground.ts";
import { useEngineProgress } from "./realKernel/useEngineProgress.ts";
import { useRealKernelView } from "./realKernel/useRealKernelView.ts";
import { runRelease } from "./releases/runRelease.ts";
import { ShownRelease } from "./releases/ShownRelease.tsx";
import { useKernelRelease } from "./releases/useKernelRelease.ts";

/** The lab: its two stores (the connection and the display clock beside it), and the layout on them. */
export function App() {
  const stores = useLabStores();
  return (
    <DisplayClockContext.Provider value={stores?.clock ?? null}>
      <LabLayout connection={stores?.connection ?? null} clock={stores?.clock ?? null} />
    </DisplayClockContext.Provider>
  );
}

/**
 * The workbench's layout and the lab's settings. Each view reads the moment it shows from the
 * display clock itself (clock/displayClock.ts's useDisplay): an event redraws the views it changes, not this layout.
 */
function LabLayout({ connection, clock }: { connection: LabConnection | null; clock: DisplayClock | null }) {
  const lab = useLabSettings(connection);
  const { hello } = lab;
  const { t } = useTranslation();
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
  const shownActive = useDisplay((state) =>
    activeModule(state.shown.record, state.shown.start, state.shown.end, state.moment.modules),
  );

  // Export and Open run sit in the header on a wide screen (the setup strip stays one row at
  // 1280×720, the listings keep its height); on a phone, in the setup view with the other controls.
  const runFile = (
    <LabRunFile connection={connection} clock={clock} lab={lab} playground={playground} kernel={kernel} />
  );

  return (
    <ExplanationSlotsProvider>
      <div className="app">
        <LabHeader snapshot={lab} onShortcuts={openShortcuts} runFile={wide ? runFile : null} />
        <Notices notices={lab.notices} onDismiss={commands.dismissNotice} />
        <ShownRelease release={shownRelease.release} edits={shownRelease.edits}>
          <PredictionsProvider
            asking={lab.stepMode && !realKernel.real}
            step={commands.step}
            lessonStep={lessonStep.id}
          >
            <Workbench
              view={view}
              onView={setView}
              follow={
                // A line picked from an oops takes the view, as it takes the room.
                MODULES.some((module) => oops.focusFor(module)) ? undefined : followed
              }
              question={
                // A phone's code view only: a wide screen shows the question in the lesson column.
                wide ? undefined : <AskedQuestion />
              }
              setup={
                <SetupStrip
                  lab={lab}
                  commands={commands}
                  real={realKernel.real}
                  wide={wide}
                  kernel={kernel}
                  runFile={runFile}
                />
              }
              lesson={
                <LessonColumn
                  lab={lab}
                  onReset={commands.resetLab}
                  onHelp={openShortcuts}
                  onStep={setLessonStep}
                />
              }
              explanations={
                <section className="explanations" aria-label={t("layout.explanations")}>
                  {MODULES.map((module) => (
                    <ExplanationSlot key={module} module={module} />
                  ))}
                </section>
              }
              transport={
                <ShownTransport
                  toolbar={
                    <LabToolbar
                      stepMode={lab.stepMode}
                      onStepMode={commands.setStepMode}
                      pace={pace}
                      onPace={(next) => {
                        clock?.setPace(next);
                        writeUrlParams({ pace: next });
                      }}
                      stepModeNote={realKernel.real ? t("stepMode.realKernel") : undefined}
                    />
                  }
                />
              }
              // A line picked from an oops is shown in its module, which takes the room for it.
              active={MODULES.find((module) => oops.focusFor(module)) ?? shownActive}
              sharing={modulesSharingTheRoom(oops.entries)}
              modules={MODULES.map((module) => ({
                id: module,
                file: `${module}.c`,
                pane: (tools) => (
                  <ShownModulePane
                    module={module}
                    tools={tools}
                    variant={lab.variant}
                    stepMode={lab.stepMode}
                    real={realKernel.real}
                    labPort={labPort}
                    commands={commands}
                    marked={marked}
                    focus={oops.focusFor(module)}
                    progress={engineProgress}
                    playground={playground}
                  />
                ),
              }))}
              dock={
                <LabDock
                  selected={dockTab}
                  onSelect={selectDockTab}
                  lab={lab}
                  realKernel={realKernel}
                  oops={oops}
                  labPort={labPort}
                  playground={playground}
                  onTrace={traceSyscalls}
                />
              }
            />
          </PredictionsProvider>
        </ShownRelease>
        <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      </div>
    </ExplanationSlotsProvider>
  );
}
