import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import listings from "virtual:listings";
import type { LabEvent } from "../../shared/protocol/messages.ts";
import { MODULES, type ModuleName } from "../../shared/protocol/steps.ts";
import { LabHeader } from "./app/LabHeader.tsx";
import { type LabConnection, takeConnection } from "./connection/labConnection.ts";
import { type ModuleView, moduleView, terminalLines } from "./connection/labView.ts";
import { useLabCommands } from "./connection/useLabCommands.ts";
import { LabToolbar } from "./controls/LabToolbar.tsx";
import { Notices } from "./controls/Notices.tsx";
import { ShortcutsDialog } from "./controls/ShortcutsDialog.tsx";
import { TransportBar } from "./controls/TransportBar.tsx";
import { useTransport } from "./controls/useTransport.ts";
import { VariantSwitch } from "./controls/VariantSwitch.tsx";
import { Dock } from "./dock/Dock.tsx";
import { KernelTruth } from "./dock/KernelTruth.tsx";
import { Terminal } from "./dock/Terminal.tsx";
import { Timeline } from "./dock/Timeline.tsx";
import { useDock } from "./dock/useDock.ts";
import type { NarrowView } from "./layout/NarrowWorkbench.tsx";
import { Workbench } from "./layout/Workbench.tsx";
import { LessonPanel } from "./lesson/LessonPanel.tsx";
import { useLessonKeys } from "./lesson/useLessonKeys.ts";
import { useWalkthrough } from "./lesson/useWalkthrough.ts";
import { ExplanationSlot, ExplanationSlotsProvider } from "./listing/explanationSlots.tsx";
import { ModulePane } from "./listing/ModulePane.tsx";
import { BootLogToggle } from "./realKernel/BootLogToggle.tsx";
import { EngineSwitch } from "./realKernel/EngineSwitch.tsx";
import { useRealKernelView } from "./realKernel/useRealKernelView.ts";

function useLabConnection(): LabConnection | null {
  const [connection, setConnection] = useState<LabConnection | null>(null);
  useEffect(() => {
    const created = takeConnection();
    setConnection(created);
    return () => created.dispose();
  }, []);
  return connection;
}

const EMPTY = {
  status: "connecting",
  variant: "published",
  stepMode: false,
  events: [],
  notices: [],
} as const;

function viewsOf(events: readonly LabEvent[]): Record<ModuleName, ModuleView> {
  return Object.fromEntries(MODULES.map((m) => [m, moduleView(events, m)])) as Record<ModuleName, ModuleView>;
}

export function App() {
  const connection = useLabConnection();
  const snapshot = useSyncExternalStore(
    connection?.subscribe ?? noSubscribe,
    connection?.getSnapshot ?? (() => EMPTY),
  );
  const { hello } = snapshot;
  const { t } = useTranslation();
  const walk = useWalkthrough(snapshot);
  // Listings and log show the moment picked on the timeline; the module controls stay live.
  const events = walk.shown;
  const views = useMemo(() => viewsOf(events), [events]);
  const liveViews = useMemo(() => viewsOf(walk.paced), [walk.paced]);
  const realKernel = useRealKernelView(snapshot.engine, events);
  const lines = useMemo(() => terminalLines(events, realKernel.fold), [events, realKernel.fold]);
  const lastPrinted = useMemo(() => lastPrintedLines(events), [events]);
  const dock = useDock(lines.length);
  const [view, setView] = useState<NarrowView>("lesson");
  const { select: selectDockTab } = dock;
  // Starting a module shows, on a phone, the view with its line and the log.
  const onStart = useCallback(() => {
    setView("code");
    selectDockTab("printk");
  }, [selectDockTab]);
  const commands = useLabCommands(connection, onStart);
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

  return (
    <ExplanationSlotsProvider>
      <div className="app">
        <LabHeader snapshot={snapshot} onShortcuts={() => setShortcutsOpen(true)} />
        <Notices notices={snapshot.notices} onDismiss={commands.dismissNotice} />
        <Workbench
          view={view}
          onView={setView}
          setup={
            <>
              <VariantSwitch
                selected={snapshot.variant}
                available={Object.keys(listings) as (keyof typeof listings)[]}
                onSelect={commands.selectVariant}
              />
              <EngineSwitch
                status={"engine" in snapshot ? snapshot.engine : undefined}
                variant={snapshot.variant}
                events={events}
                onSelect={commands.selectEngine}
                onRestart={commands.restartEngine}
                onShowLine={realKernel.showLine}
              />
            </>
          }
          lesson={<LessonPanel lesson={walk.lesson} port={hello?.labPort} />}
          explanations={
            <section className="explanations" aria-label={t("layout.explanations")}>
              {MODULES.map((module) => (
                <ExplanationSlot key={module} module={module} />
              ))}
            </section>
          }
          transport={
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
                  stepModeUnavailable={realKernel.stepModeUnavailable}
                />
              }
              onPick={walk.viewPast}
              onLive={walk.backToLive}
            />
          }
          modules={MODULES.map((module) => ({
            id: module,
            pane: (
              <ModulePane
                module={module}
                view={views[module]}
                liveView={liveViews[module]}
                variant={snapshot.variant}
                stepMode={snapshot.stepMode && !realKernel.real}
                commands={commands}
                printed={lastPrinted[module] ?? {}}
                marked={walk.lesson.marked}
                focus={realKernel.focusFor(module)}
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
                      <Terminal lines={lines} />
                    </>
                  ),
                },
                ...kernelTruthPanes(t, events, hello?.labPort),
                {
                  id: "timeline",
                  label: t("timeline.region"),
                  content: <Timeline events={walk.paced} past={walk.past} onPick={walk.viewPast} />,
                },
              ]}
            />
          }
        />
        <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      </div>
    </ExplanationSlotsProvider>
  );
}

function kernelTruthPanes(
  t: (key: string) => string,
  events: readonly LabEvent[],
  labPort: number | undefined,
) {
  return (["sockets", "sequence", "bytes"] as const).map((id) => ({
    id,
    label: t(`dock.tab.${id}`),
    content: <KernelTruth events={events} labPort={labPort} only={id} />,
  }));
}

type PrintedLines = { cLine?: number; tsLine?: number };

function lastPrintedLines(events: readonly LabEvent[]): Partial<Record<ModuleName, PrintedLines>> {
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
