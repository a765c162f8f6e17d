import { useTranslation } from "react-i18next";
import { MODULES } from "../../shared/protocol/steps.ts";
import { LabDock } from "./app/LabDock.tsx";
import { LabHeader } from "./app/LabHeader.tsx";
import { LabRunFile } from "./app/LabRunFile.tsx";
import { LessonColumn } from "./app/LessonColumn.tsx";
import { SetupStrip } from "./app/SetupStrip.tsx";
import { ShownModulePane } from "./app/ShownModulePane.tsx";
import { ShownTransport } from "./app/ShownTransport.tsx";
import { writeUrlParams } from "./app/urlState.ts";
import { useLabPage } from "./app/useLabPage.ts";
import type { DisplayClock } from "./clock/displayClock.ts";
import { DisplayClockContext } from "./clock/displayClock.ts";
import { useLabStores } from "./clock/useLabStores.ts";
import type { LabConnection } from "./connection/labConnection.ts";
import { LabToolbar } from "./controls/LabToolbar.tsx";
import { Notices } from "./controls/Notices.tsx";
import { ShortcutsDialog } from "./controls/ShortcutsDialog.tsx";
import { Workbench } from "./layout/Workbench.tsx";
import { modulesSharingTheRoom } from "./layout/sharedRoom.ts";
import { AskedQuestion, PredictionsProvider } from "./lesson/PredictionsProvider.tsx";
import { ExplanationSlot, ExplanationSlotsProvider } from "./listing/explanationSlots.tsx";
import { ShownRelease } from "./releases/ShownRelease.tsx";

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
 * The workbench's layout, and nothing else: what the page decides is useLabPage's; each view reads
 * the moment it shows from the display clock itself, so an event redraws the views it changes, not this.
 * Over 120 lines because it is one tree: each slot of the workbench is a view placed with its props.
 */
function LabLayout({ connection, clock }: { connection: LabConnection | null; clock: DisplayClock | null }) {
  const { t } = useTranslation();
  const page = useLabPage(connection, clock);
  const { lab, kernel, realKernel, oops, commands, playground, wide } = page;

  // Export and Open run sit in the header on a wide screen (the setup strip stays one row at
  // 1280×720, the listings keep its height); on a phone, in the setup view with the other controls.
  const runFile = (
    <LabRunFile connection={connection} clock={clock} lab={lab} playground={playground} kernel={kernel} />
  );

  return (
    <ExplanationSlotsProvider>
      <div className="app">
        <LabHeader snapshot={lab} onShortcuts={page.openShortcuts} runFile={wide ? runFile : null} />
        <Notices notices={lab.notices} onDismiss={commands.dismissNotice} />
        <ShownRelease release={page.shownRelease.release} edits={page.shownRelease.edits}>
          <PredictionsProvider
            asking={lab.stepMode && !realKernel.real}
            step={commands.step}
            lessonStep={page.lessonStep.id}
          >
            <Workbench
              view={page.view}
              onView={page.setView}
              follow={
                // A line picked from an oops takes the view, as it takes the room.
                MODULES.some((module) => oops.focusFor(module)) ? undefined : page.followed
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
                  onHelp={page.openShortcuts}
                  onStep={page.setLessonStep}
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
                      pace={page.pace}
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
              active={MODULES.find((module) => oops.focusFor(module)) ?? page.shownActive}
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
                    labPort={page.labPort}
                    commands={commands}
                    marked={page.marked}
                    focus={oops.focusFor(module)}
                    progress={page.engineProgress}
                    playground={playground}
                  />
                ),
              }))}
              dock={
                <LabDock
                  selected={page.dockTab}
                  onSelect={page.selectDockTab}
                  lab={lab}
                  realKernel={realKernel}
                  oops={oops}
                  labPort={page.labPort}
                  playground={playground}
                  onTrace={page.traceSyscalls}
                />
              }
            />
          </PredictionsProvider>
        </ShownRelease>
        <ShortcutsDialog open={page.shortcutsOpen} onClose={() => page.setShortcutsOpen(false)} />
      </div>
    </ExplanationSlotsProvider>
  );
}
