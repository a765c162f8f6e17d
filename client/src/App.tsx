import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import listings from "virtual:listings";
import { MODULES, type ModuleName, perModule } from "../../shared/protocol/steps.ts";
import { INITIAL_SNAPSHOT, type LabConnection, takeConnection } from "./connection/labConnection.ts";
import { type ModuleView, moduleView, terminalLines } from "./connection/labView.ts";
import type { LineTone } from "./listing/Listing.tsx";
import { ModuleCompare } from "./listing/ModuleCompare.tsx";
import { ModuleControls } from "./controls/ModuleControls.tsx";
import { EngineSwitch } from "./realKernel/EngineSwitch.tsx";
import { Notices } from "./controls/Notices.tsx";
import { Terminal } from "./dock/Terminal.tsx";
import { useTranslation } from "react-i18next";
import { LabToolbar } from "./controls/LabToolbar.tsx";
import { LanguageSwitch } from "./controls/LanguageSwitch.tsx";
import { LessonPanel } from "./lesson/LessonPanel.tsx";
import { PastBanner } from "./controls/PastBanner.tsx";
import { ShortcutsDialog } from "./controls/ShortcutsDialog.tsx";
import { StepControls } from "./controls/StepControls.tsx";
import { Timeline } from "./dock/Timeline.tsx";
import { useWalkthrough } from "./lesson/useWalkthrough.ts";
import { bugNotesFor } from "./listing/bugNotes.ts";
import { currentLanguage } from "./i18n/i18n.ts";
import { KernelTruth } from "./dock/KernelTruth.tsx";
import { ListingBugs } from "./listing/ListingBugs.tsx";
import { shownVariant } from "./listing/shownVariant.ts";
import { VariantSwitch } from "./controls/VariantSwitch.tsx";
import { BootLogToggle } from "./realKernel/BootLogToggle.tsx";
import { useEngineProgress } from "./realKernel/useEngineProgress.ts";
import { useRealKernelView } from "./realKernel/useRealKernelView.ts";
import { KernelPauseView } from "./realKernel/KernelPauseView.tsx";
import { ResetLabButton } from "./controls/ResetLabButton.tsx";
import { OccupyPortButton } from "./controls/OccupyPortButton.tsx";
import { type RunFile, writeRunFile } from "../../shared/protocol/runFile.ts";
import { RecordedRunBanner } from "./recording/RecordedRunBanner.tsx";
import { RunFileControls } from "./recording/RunFileControls.tsx";
import { exportLiveRun } from "./recording/exportLiveRun.ts";
import { PredictionPrompt } from "./lesson/PredictionPrompt.tsx";
import { usePredictions } from "./lesson/usePredictions.ts";
import { useLabUrlState } from "./app/useLabUrlState.ts";

function useLabConnection(): LabConnection | null {
  const [connection, setConnection] = useState<LabConnection | null>(null);
  useEffect(() => {
    const created = takeConnection();
    setConnection(created);
    return () => created.dispose();
  }, []);
  return connection;
}

function toneOf(view: ModuleView): LineTone | undefined {
  const current = view.current;
  if (!current) return undefined;
  if (current.phase === "waiting") return "waiting";
  if (current.phase === "running") return "running";
  return current.result !== null && current.result < 0 ? "error" : "ok";
}

export function App() {
  const connection = useLabConnection();
  const snapshot = useSyncExternalStore(
    connection?.subscribe ?? noSubscribe,
    connection?.getSnapshot ?? (() => INITIAL_SNAPSHOT),
  );
  const { hello } = snapshot;
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  // An opened run file: the timeline, listings and log show it; the live lab goes on untouched.
  const [recorded, setRecorded] = useState<RunFile | null>(null);
  const walk = useWalkthrough(snapshot, recorded?.events ?? null);
  useLabUrlState(snapshot, connection);
  // Listings and log show the moment picked on the timeline; the module controls stay live.
  const events = walk.shown;
  const views = useMemo(() => perModule((m) => moduleView(events, m)), [events]);
  const liveViews = useMemo(() => perModule((m) => moduleView(walk.live, m)), [walk.live]);
  const realKernel = useRealKernelView(snapshot.engine, events);
  const engineProgress = useEngineProgress(snapshot.engine);
  const lines = useMemo(() => terminalLines(events, realKernel.fold), [events, realKernel.fold]);
  const lastPrinted = useMemo(() => lastPrintedLines(events), [events]);
  const resetLab = () => connection?.send({ type: "lab.reset" });
  const predictions = usePredictions(walk.live, snapshot.stepMode && !realKernel.real, (module) =>
    connection?.send({ type: "step.next", module }),
  );

  return (
    <div className="app">
      <header className="app-header">
        <h1>{t("app.title")}</h1>
        <p className="status" aria-live="polite">
          {snapshot.status === "open"
            ? t("app.connected")
            : snapshot.status === "connecting"
              ? t("app.connecting")
              : t("app.closed")}
          {hello ? t("app.port", { port: hello.labPort }) : ""}
          {hello && hello.labPort !== hello.preferredPort && hello.preferredPort !== 0
            ? t("app.portTaken", { port: hello.preferredPort === 0x8888 ? "0x8888" : hello.preferredPort })
            : ""}
        </p>
        <LabToolbar
          stepMode={snapshot.stepMode}
          onStepMode={(enabled) => connection?.send({ type: "stepMode.set", enabled })}
          pace={walk.pace}
          onPace={walk.setPace}
          onShortcuts={() => walk.setShortcutsOpen(true)}
          stepModeNote={realKernel.real ? t("stepMode.realKernel") : undefined}
        />
        <fieldset className="lab-controls">
          <legend className="visually-hidden">{t("labControls.group")}</legend>
          <ResetLabButton onReset={resetLab} />
          <OccupyPortButton
            port={hello?.labPort}
            occupied={snapshot.port?.occupied === true}
            onOccupy={() => connection?.send({ type: "port.occupy" })}
            onFree={() => connection?.send({ type: "port.free" })}
          />
        </fieldset>
        <RunFileControls
          exportText={() => (recorded ? writeRunFile(recorded) : exportLiveRun(snapshot))}
          onOpen={setRecorded}
        />
        <LanguageSwitch />
      </header>
      <Notices notices={snapshot.notices} onDismiss={(id) => connection?.dismiss(id)} />
      <VariantSwitch
        selected={snapshot.variant}
        available={Object.keys(listings) as (keyof typeof listings)[]}
        onSelect={(variant) => connection?.send({ type: "variant.select", variant })}
      />
      <EngineSwitch
        status={"engine" in snapshot ? snapshot.engine : undefined}
        variant={snapshot.variant}
        events={events}
        onSelect={(engine) => connection?.send({ type: "engine.select", engine })}
        onRestart={() => connection?.send({ type: "engine.restart" })}
        onShowLine={realKernel.showLine}
      />
      {recorded ? <RecordedRunBanner run={recorded} onClose={() => setRecorded(null)} /> : null}
      {walk.linkedAt !== null && !recorded ? (
        <p className="linked-at" role="status">
          {t("runFile.atLink", { n: walk.linkedAt })}
        </p>
      ) : null}
      {walk.past !== null ? (
        <PastBanner
          index={walk.past}
          total={walk.paced.length}
          views={views}
          onBackToLive={walk.backToLive}
        />
      ) : null}
      <div className="lab-layout">
        <LessonPanel lesson={walk.lesson} port={hello?.labPort} onReset={resetLab}>
          <PredictionPrompt predictions={predictions} events={walk.live} />
        </LessonPanel>
        <main className="modules">
          {MODULES.map((module) => {
            const view = views[module];
            const variant = shownVariant(view, snapshot.variant);
            const listing = listings[variant]?.[module];
            const bugs = listing
              ? bugNotesFor(variant, module, listing.cText, language, t("bugs.notePrefix"))
              : undefined;
            return (
              <section key={module} className="module" aria-label={t(`module.${module}.region`)}>
                <ModuleControls
                  module={module}
                  view={liveViews[module]}
                  onLoad={() => connection?.send({ type: "module.load", module })}
                  onUnload={() => connection?.send({ type: "module.unload", module })}
                  progress={engineProgress}
                />
                {snapshot.stepMode ? (
                  <StepControls
                    module={module}
                    view={liveViews[module]}
                    onStep={() => connection?.send({ type: "step.next", module })}
                    onContinue={() => connection?.send({ type: "step.continue", module })}
                  />
                ) : null}
                {snapshot.stepMode && realKernel.real ? (
                  <KernelPauseView module={module} events={events} />
                ) : null}
                {listing ? (
                  <ModuleCompare
                    module={module}
                    listing={listing}
                    current={view.current?.variant === variant ? view.current : undefined}
                    tone={toneOf(view)}
                    printed={(view.variant === variant ? lastPrinted[module] : undefined) ?? {}}
                    marked={walk.lesson.marked(module, variant, listing.cText)}
                    focus={realKernel.focusFor(module)}
                    bugNotes={bugs?.notes}
                  />
                ) : null}
                {bugs ? <ListingBugs file={`${module}.c`} bugs={bugs.bugs} /> : null}
              </section>
            );
          })}
        </main>
      </div>
      {realKernel.boot ? <BootLogToggle {...realKernel.boot} /> : null}
      <Terminal lines={lines} />
      <KernelTruth events={events} labPort={hello?.labPort} />
      <Timeline events={walk.paced} past={walk.past} onPick={walk.viewPast} />
      <ShortcutsDialog open={walk.shortcutsOpen} onClose={() => walk.setShortcutsOpen(false)} />
    </div>
  );
}

type PrintedLines = { cLine?: number; tsLine?: number };

function lastPrintedLines(
  events: readonly import("../../shared/protocol/messages.ts").LabEvent[],
): Partial<Record<ModuleName, PrintedLines>> {
  const printed: Partial<Record<ModuleName, PrintedLines>> = {};
  for (const event of events) {
    if (event.type === "printk" && event.source !== "kernel" && (event.cLine || event.tsLine)) {
      printed[event.source] = { cLine: event.cLine, tsLine: event.tsLine };
    }
  }
  return printed;
}

function noSubscribe(): () => void {
  return () => {};
}
