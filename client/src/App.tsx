import { lazy, Suspense, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import listings from "virtual:listings";
import { type RunFile, writeRunFile } from "../../shared/protocol/runFile.ts";
import { MODULES, type ModuleName, type Variant } from "../../shared/protocol/steps.ts";
import type { ModuleView } from "./connection/labView.ts";
import { LabHeader } from "./app/LabHeader.tsx";
import { useMediaQuery } from "./app/useMediaQuery.ts";
import { useLabUrlState } from "./app/useLabUrlState.ts";
import { useLeaveWarning } from "./app/useLeaveWarning.ts";
import { INITIAL_SNAPSHOT, type LabConnection, takeConnection } from "./connection/labConnection.ts";
import type { RecordPrefix } from "./connection/eventRecord.ts";
import { useLabCommands } from "./connection/useLabCommands.ts";
import { LabToolbar } from "./controls/LabToolbar.tsx";
import { Notices } from "./controls/Notices.tsx";
import { OccupyPortButton } from "./controls/OccupyPortButton.tsx";
import { PortHolderNote } from "./controls/PortHolderNote.tsx";
import { ResetLabButton } from "./controls/ResetLabButton.tsx";
import { ShortcutsDialog } from "./controls/ShortcutsDialog.tsx";
import { TransportBar } from "./controls/TransportBar.tsx";
import { useTransport } from "./controls/useTransport.ts";
import { VariantSwitch } from "./controls/VariantSwitch.tsx";
import { Dock } from "./dock/Dock.tsx";
import { KernelTruth } from "./dock/KernelTruth.tsx";
import { Terminal } from "./dock/Terminal.tsx";
import { Timeline } from "./dock/Timeline.tsx";
import { useDock } from "./dock/useDock.ts";
import { OopsDock } from "./dock/OopsDock.tsx";
import { useOopsDock } from "./dock/useOopsDock.ts";
import type { NarrowView } from "./layout/NarrowWorkbench.tsx";
import { activeModule } from "./layout/activeModule.ts";
import { nextStart, phoneFollows, type StartedModule } from "./layout/phoneFollow.ts";
import { WIDE, Workbench } from "./layout/Workbench.tsx";
import { LessonPanel } from "./lesson/LessonPanel.tsx";
import { PredictionPrompt } from "./lesson/PredictionPrompt.tsx";
import { useLessonKeys } from "./lesson/useLessonKeys.ts";
import { usePredictions } from "./lesson/usePredictions.ts";
import { useWalkthrough } from "./lesson/useWalkthrough.ts";
import { ExplanationSlot, ExplanationSlotsProvider } from "./listing/explanationSlots.tsx";
import { ModulePane } from "./listing/ModulePane.tsx";
import { BootLogToggle } from "./realKernel/BootLogToggle.tsx";
import { EngineSwitch, statusWords } from "./realKernel/EngineSwitch.tsx";
import { runRelease } from "./releases/runRelease.ts";
import { ShownRelease } from "./releases/ShownRelease.tsx";
import { ReleasePicker } from "./releases/ReleasePicker.tsx";
import { SetupOverflow } from "./app/SetupOverflow.tsx";
import { useKernelRelease } from "./releases/useKernelRelease.ts";
import { useEngineProgress } from "./realKernel/useEngineProgress.ts";
import { useRealKernelView } from "./realKernel/useRealKernelView.ts";
import { KernelPauseView } from "./realKernel/KernelPauseView.tsx";
import { timeWaitNote } from "./realKernel/timeWaitNote.ts";
import { REAL_KERNEL_LAB_PORT } from "../../shared/protocol/engineMessages.ts";
import { exportLiveRun } from "./recording/exportLiveRun.ts";
import { RecordedRunBanner } from "./recording/RecordedRunBanner.tsx";
import { RunFileControls } from "./recording/RunFileControls.tsx";
import { CallView } from "./dock/CallView.tsx";

// Dock panes a learner opens later load with their tab, not with the page (the first load's budget).
const SyscallsView = lazy(() => import("./dock/SyscallsView.tsx").then((m) => ({ default: m.SyscallsView })));
const PlaygroundPanel = lazy(() =>
  import("./playground/PlaygroundPanel.tsx").then((m) => ({ default: m.PlaygroundPanel })),
);
const ReleaseDiff = lazy(() =>
  import("./releases/ReleaseDiff.tsx").then((m) => ({ default: m.ReleaseDiff })),
);
const BuildLog = lazy(() => import("./playground/BuildLog.tsx").then((m) => ({ default: m.BuildLog })));

function useLabConnection(): LabConnection | null {
  const [connection, setConnection] = useState<LabConnection | null>(null);
  useEffect(() => {
    const created = takeConnection();
    setConnection(created);
    return () => created.dispose();
  }, []);
  return connection;
}

import { type PlaygroundState, usePlayground } from "./playground/usePlayground.ts";

/** The lab: the snapshot and the hooks that derive what is shown, handed to the workbench's panes. */
export function App() {
  const connection = useLabConnection();
  const snapshot = useSyncExternalStore(
    connection?.subscribe ?? noSubscribe,
    connection?.getSnapshot ?? (() => INITIAL_SNAPSHOT),
  );
  const { hello } = snapshot;
  const { t } = useTranslation();
  // An opened run file: the timeline, listings and log show it; the live lab goes on untouched.
  const [recorded, setRecorded] = useState<RunFile | null>(null);
  const walk = useWalkthrough(snapshot, recorded?.events ?? null);
  useLabUrlState(snapshot, connection);
  const kernel = useKernelRelease(snapshot, connection);
  // An opened run shows its own release's listings and facts; the live pick stays as it is.
  const shownRelease = recorded ? runRelease(recorded) : kernel;
  // Listings and log show the moment picked on the timeline; the module controls stay live.
  // Each is read from the record's moment, folded in once when its event arrived.
  const shown = walk.shown;
  const moment = shown.record.momentAt(shown.end);
  const views = moment.modules;
  const liveMoment = walk.live.record.momentAt(walk.live.end);
  const liveViews = liveMoment.modules;
  useLeaveWarning(MODULES.some((module) => ["loading", "live"].includes(liveViews[module].state)));
  const realKernel = useRealKernelView(snapshot.engine, moment.bootRecords);
  const engineProgress = useEngineProgress(snapshot.engine);
  const lastPrinted = moment.printed;
  // The real kernel's sockets are the guest's, on the listings' own port; the Node lab's, the host's.
  const labPort = realKernel.real ? REAL_KERNEL_LAB_PORT : hello?.labPort;
  // The badge counts the live lab's records not yet seen: looking back and returning shows none as new.
  const dock = useDock(liveMoment.terminal);
  const { select: selectDockTab } = dock;
  // On a phone the dock is the Log view: an oops shows it there.
  const [view, setView] = useState<NarrowView>("lesson");
  const wide = useMediaQuery(WIDE);
  const openOopsTab = useCallback(() => {
    selectDockTab("oops");
    if (!wide) setView("log");
  }, [selectDockTab, wide]);
  // Oopses go to the dock (the setup strip keeps its row); a new one of the running VM opens its tab.
  const oops = useOopsDock({
    real: realKernel.real,
    oopses: moment.oopses,
    vms: moment.vms,
    stopped: snapshot.engine?.status === "stopped",
    variant: snapshot.variant,
    live: walk.past === null && !recorded,
    open: openOopsTab,
  });
  // The oops tab goes with its last oops (dismissed, or the Node lab chosen): printk takes its place.
  const noOopses = oops.entries.length === 0;
  useEffect(() => {
    if (noOopses && dock.selected === "oops") selectDockTab("printk");
  }, [noOopses, dock.selected, selectDockTab]);
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
    [wide, selectDockTab],
  );
  const labCommands = useLabCommands(connection, onStart);
  const playground = usePlayground(connection, snapshot.learnerBuild);
  const { buildFor } = playground;
  const { jumpToLive } = walk;
  // Reset the lab shows the lab as it is now: not the calls the display still had queued before it.
  const commands = useMemo(
    () => ({
      ...labCommands,
      // The real kernel starts the learner's build of a module they edited and built; the Node lab
      // runs only the shipped listings.
      load: (module: ModuleName) =>
        labCommands.load(module, realKernel.real ? buildFor(module, snapshot.variant) : undefined),
      resetLab: () => {
        jumpToLive();
        labCommands.resetLab();
      },
    }),
    [labCommands, jumpToLive, realKernel.real, buildFor, snapshot.variant],
  );
  const traceSyscalls = useCallback(
    (on: boolean) => connection?.send({ type: "syscalls.trace", on }),
    [connection],
  );
  // The predictions and the kernel pause view read event lists: the events the record holds.
  const liveEvents = useMemo(() => walk.live.record.slice(walk.live.start, walk.live.end), [walk.live]);
  const shownEvents = useMemo(() => shown.record.slice(shown.start, shown.end), [shown]);
  const predictions = usePredictions(
    liveEvents,
    snapshot.stepMode && !realKernel.real,
    commands.step,
    walk.lesson.step.id,
  );
  const transport = useTransport(walk.paced, walk.past, walk.viewPast, walk.backToLive);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  useLessonKeys({
    next: walk.lesson.next,
    back: walk.lesson.back,
    help: () => setShortcutsOpen(true),
    stepBack: transport.back,
    stepForward: transport.forward,
    live: walk.backToLive,
  });

  // Export and Open run sit in the header on a wide screen (the setup strip stays one row at
  // 1280×720, the listings keep its height); on a phone, in the setup view with the other controls.
  const runFile = (
    <RunFileControls
      exportText={() =>
        recorded
          ? writeRunFile(recorded)
          : exportLiveRun(snapshot, new Date(), playground.draft, {
              series: kernel.release,
              edits: kernel.edits,
            })
      }
      onOpen={(run) => {
        setRecorded(run);
        if (run.learnerSources) playground.adopt(run.learnerSources);
      }}
    />
  );

  return (
    <ExplanationSlotsProvider>
      <div className="app">
        <LabHeader
          snapshot={snapshot}
          onShortcuts={() => setShortcutsOpen(true)}
          runFile={wide ? runFile : null}
        />
        <Notices notices={snapshot.notices} onDismiss={commands.dismissNotice} />
        <ShownRelease release={shownRelease.release} edits={shownRelease.edits}>
          <Workbench
            view={view}
            onView={setView}
            follow={
              // A line picked from an oops takes the view, as it takes the room.
              MODULES.some((module) => oops.focusFor(module))
                ? undefined
                : phoneFollows(started, snapshot.stepMode, liveViews)
            }
            question={
              // A phone's code view only: a wide screen shows the question in the lesson column.
              wide ? undefined : <PredictionPrompt predictions={predictions} events={liveEvents} />
            }
            setup={
              <>
                <VariantSwitch
                  selected={snapshot.variant}
                  available={Object.keys(listings) as (keyof typeof listings)[]}
                  onSelect={commands.selectVariant}
                />
                <fieldset className="lab-controls">
                  <legend className="visually-hidden">{t("labControls.group")}</legend>
                  <ResetLabButton
                    onReset={commands.resetLab}
                    note={snapshot.stepMode && realKernel.real ? t("stepMode.resetNote") : undefined}
                  />
                  <OccupyPortButton
                    port={hello?.labPort}
                    occupied={snapshot.port?.occupied === true}
                    onOccupy={commands.occupyPort}
                    onFree={commands.freePort}
                  />
                </fieldset>
                {wide ? null : runFile}
                <EngineSwitch
                  status={"engine" in snapshot ? snapshot.engine : undefined}
                  variant={snapshot.variant}
                  onSelect={commands.selectEngine}
                  onRestart={commands.restartEngine}
                />
                <SetupOverflow
                  wide={wide}
                  label={t("header.kernelMenu", { series: kernel.release })}
                  engineWords={statusWords(t, "engine" in snapshot ? snapshot.engine : undefined)}
                >
                  <ReleasePicker
                    selected={kernel.release}
                    here={hello?.kernelReleases}
                    onSelect={kernel.pick}
                    edits={kernel.edits}
                    onEdits={kernel.setEdits}
                  />
                  <Suspense fallback={null}>
                    <ReleaseDiff variant={snapshot.variant} release={kernel.release} />
                  </Suspense>
                </SetupOverflow>
              </>
            }
            lesson={
              <LessonPanel lesson={walk.lesson} port={hello?.labPort} onReset={commands.resetLab}>
                <PortHolderNote
                  holder={snapshot.portHolder}
                  serverFailed={liveViews.server.state === "failed"}
                />
                <PredictionPrompt predictions={predictions} events={liveEvents} />
              </LessonPanel>
            }
            explanations={
              <section className="explanations" aria-label={t("layout.explanations")}>
                {MODULES.map((module) => (
                  <ExplanationSlot key={module} module={module} />
                ))}
              </section>
            }
            transport={
              <>
                {recorded ? <RecordedRunBanner run={recorded} onClose={() => setRecorded(null)} /> : null}
                {walk.linkedAt !== null && !recorded ? (
                  <p className="linked-at" role="status">
                    {t("runFile.atLink", { n: walk.linkedAt })}
                  </p>
                ) : null}
                <TransportBar
                  events={walk.paced}
                  past={walk.past}
                  views={views}
                  transport={transport}
                  toolbar={
                    <LabToolbar
                      stepMode={snapshot.stepMode}
                      onStepMode={commands.setStepMode}
                      pace={walk.pace}
                      onPace={walk.setPace}
                      stepModeNote={realKernel.real ? t("stepMode.realKernel") : undefined}
                    />
                  }
                  onPick={walk.viewPast}
                  onLive={walk.backToLive}
                  recordedAt={recorded?.date}
                />
              </>
            }
            active={
              // A line picked from an oops is shown in its module, which takes the room for it.
              MODULES.find((module) => oops.focusFor(module)) ??
              activeModule(shown.record, shown.start, shown.end, views)
            }
            modules={MODULES.map((module) => ({
              id: module,
              file: `${module}.c`,
              pane: (tools) => (
                <ModulePane
                  module={module}
                  tools={tools}
                  view={views[module]}
                  liveView={liveViews[module]}
                  variant={snapshot.variant}
                  stepMode={snapshot.stepMode}
                  kernelPause={
                    snapshot.stepMode && realKernel.real ? (
                      <KernelPauseView module={module} events={shownEvents} />
                    ) : null
                  }
                  commands={commands}
                  printed={lastPrinted[module] ?? {}}
                  marked={walk.lesson.marked}
                  focus={oops.focusFor(module)}
                  progress={engineProgress}
                  vmPausedBy={realKernel.real ? vmPausedBy(liveViews, module) : undefined}
                  stopNote={snapshot.stepMode && realKernel.real ? t("stepMode.stopNote") : undefined}
                  learner={learnerShown(
                    views[module],
                    module,
                    realKernel.real && snapshot.variant,
                    playground,
                  )}
                  lineNote={timeWaitNote(views[module], moment.tcp, labPort, (seconds, port) =>
                    t("module.timeWait", { seconds, port }),
                  )}
                />
              ),
            }))}
            dock={
              <Dock
                selected={dock.selected}
                onSelect={dock.select}
                unread={dock.unread}
                panes={[
                  {
                    id: "printk",
                    label: "printk",
                    live: true,
                    content: (
                      <>
                        {realKernel.boot ? <BootLogToggle {...realKernel.boot} /> : null}
                        <Terminal record={shown.record} entries={moment.terminal} fold={realKernel.fold} />
                      </>
                    ),
                  },
                  // Only while there are oopses to read (the real kernel's): it opens itself on a new one.
                  ...(oops.entries.length
                    ? [
                        {
                          id: "oops" as const,
                          label: t("oopsDock.tab", { count: oops.entries.length }),
                          content: <OopsDock oops={oops} />,
                        },
                      ]
                    : []),
                  ...kernelTruthPanes(t, shown, labPort),
                  { id: "calls", label: t("callView.tab"), content: <CallView shown={shown} /> },
                  {
                    id: "timeline",
                    label: t("timeline.region"),
                    content: (
                      <Timeline
                        events={walk.paced}
                        past={walk.past}
                        onPick={walk.viewPast}
                        recordedAt={recorded?.date}
                      />
                    ),
                  },
                  {
                    id: "syscalls",
                    label: t("syscalls.tab"),
                    content: (
                      <Suspense fallback={<p role="status">{t("dock.loading")}</p>}>
                        <SyscallsView
                          shown={shown}
                          status={snapshot.syscallStatus}
                          lines={snapshot.syscalls}
                          dropped={snapshot.syscallsDropped}
                          from={snapshot.syscallsFrom}
                          realKernel={realKernel.real}
                          onTrace={traceSyscalls}
                        />
                      </Suspense>
                    ),
                  },
                  {
                    id: "playground",
                    label: t("playground.tab"),
                    content: (
                      <Suspense fallback={<p role="status">{t("dock.loading")}</p>}>
                        <PlaygroundPanel
                          playground={playground}
                          open={dock.selected === "playground"}
                          events={liveEvents}
                        />
                      </Suspense>
                    ),
                  },
                  {
                    id: "buildLog",
                    label: t("playground.logTab"),
                    content: (
                      <Suspense fallback={<p role="status">{t("dock.loading")}</p>}>
                        <BuildLog status={playground.status} />
                      </Suspense>
                    ),
                  },
                ]}
              />
            }
          />
        </ShownRelease>
        <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      </div>
    </ExplanationSlotsProvider>
  );
}

function kernelTruthPanes(t: (key: string) => string, shown: RecordPrefix, labPort: number | undefined) {
  return (["sockets", "sequence", "bytes"] as const).map((id) => ({
    id,
    label: t(`dock.tab.${id}`),
    content: <KernelTruth shown={shown} labPort={labPort} only={id} />,
  }));
}

/** The other module, when the VM is stopped before one of its calls (the whole VM waits for it). */
function vmPausedBy(
  views: Readonly<Record<ModuleName, ModuleView>>,
  module: ModuleName,
): { module: ModuleName; line: number } | undefined {
  const other = MODULES.find((m) => m !== module);
  const current = other ? views[other].current : undefined;
  return other && current?.phase === "waiting" ? { module: other, line: current.cLine } : undefined;
}

function noSubscribe(): () => void {
  return () => {};
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
