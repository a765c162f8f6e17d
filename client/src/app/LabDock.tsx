/**
 * Why one file over 120 lines: LabDock (~80 lines) is the dock's table of tabs, and the Shown*
 * wrappers under it (3 to 20 lines each) are each one tab's subscription to the moment it shows
 * (useDisplay), so the moment reaches each pane without passing through the dock. Each
 * wrapper is read with its tab's entry in the table; in files of their own they would be six files
 * of a line or two of wiring.
 * No component here is over 120 lines.
 */
import { lazy, Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import { useDisplay, useDisplayClock } from "../clock/displayClock.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { CallView } from "../dock/CallView.tsx";
import { Dock } from "../dock/Dock.tsx";
import { KernelTruth } from "../dock/KernelTruth.tsx";
import { OopsDock } from "../dock/OopsDock.tsx";
import { Terminal } from "../dock/Terminal.tsx";
import { Timeline } from "../dock/Timeline.tsx";
import { type DockTab, usePrintkUnread } from "../dock/useDock.ts";
import type { OopsDockState } from "../dock/useOopsDock.ts";
import type { PlaygroundState } from "../playground/usePlayground.ts";
import { BootLogToggle } from "../realKernel/BootLogToggle.tsx";
import type { RealKernelView } from "../realKernel/useRealKernelView.ts";

// Dock panes a learner opens later load with their tab, not with the page (the first load's budget).
const SyscallsView = lazy(() =>
  import("../dock/SyscallsView.tsx").then((m) => ({ default: m.SyscallsView })),
);
const PlaygroundPanel = lazy(() =>
  import("../playground/PlaygroundPanel.tsx").then((m) => ({ default: m.PlaygroundPanel })),
);
const BuildLog = lazy(() => import("../playground/BuildLog.tsx").then((m) => ({ default: m.BuildLog })));

export type LabDockProps = {
  selected: DockTab;
  onSelect: (tab: DockTab) => void;
  lab: Pick<LabSnapshot, "syscallStatus" | "syscalls" | "syscallsDropped" | "syscallsFrom">;
  realKernel: RealKernelView;
  oops: OopsDockState;
  labPort: number | undefined;
  playground: PlaygroundState;
  onTrace: (on: boolean) => void;
};

/** The dock below the listings: each tab's pane reads the part of the display it shows (useDisplay). */
export function LabDock({
  selected,
  onSelect,
  lab,
  realKernel,
  oops,
  labPort,
  playground,
  onTrace,
}: LabDockProps) {
  const { t } = useTranslation();
  // The badge counts the live lab's records not yet seen: looking back and returning shows none as new.
  const unread = usePrintkUnread(
    selected,
    useDisplay((state) => state.liveMoment.terminal),
  );
  const loading = <p role="status">{t("dock.loading")}</p>;
  return (
    <Dock
      selected={selected}
      onSelect={onSelect}
      unread={unread}
      panes={[
        {
          id: "printk",
          label: "printk",
          live: true,
          content: (
            <>
              {realKernel.boot ? <BootLogToggle {...realKernel.boot} /> : null}
              <ShownTerminal fold={realKernel.fold} />
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
        ...(["sockets", "sequence", "bytes"] as const).map((id) => ({
          id,
          label: t(`dock.tab.${id}`),
          content: <ShownKernelTruth labPort={labPort} only={id} />,
        })),
        { id: "calls", label: t("callView.tab"), content: <ShownCallView /> },
        { id: "timeline", label: t("timeline.region"), content: <ShownTimeline /> },
        {
          id: "syscalls",
          label: t("syscalls.tab"),
          content: (
            <Suspense fallback={loading}>
              <ShownSyscalls lab={lab} real={realKernel.real} onTrace={onTrace} />
            </Suspense>
          ),
        },
        {
          id: "playground",
          label: t("playground.tab"),
          content: (
            <Suspense fallback={loading}>
              <LivePlayground playground={playground} open={selected === "playground"} />
            </Suspense>
          ),
        },
        {
          id: "buildLog",
          label: t("playground.logTab"),
          content: (
            <Suspense fallback={loading}>
              <BuildLog status={playground.status} />
            </Suspense>
          ),
        },
      ]}
    />
  );
}

function ShownTerminal({ fold }: { fold?: (boot: ServerEventOf<"kernel.boot">) => string }) {
  // The printk pane: its entries up to the moment shown.
  const record = useDisplay((state) => state.shown.record);
  const entries = useDisplay((state) => state.moment.terminal);
  return <Terminal record={record} entries={entries} fold={fold} />;
}

function ShownKernelTruth({
  labPort,
  only,
}: {
  labPort: number | undefined;
  only: "sockets" | "sequence" | "bytes";
}) {
  return <KernelTruth shown={useDisplay((state) => state.shown)} labPort={labPort} only={only} />;
}

function ShownCallView() {
  return <CallView shown={useDisplay((state) => state.shown)} />;
}

function ShownTimeline() {
  // The timeline: the events it holds (the live lab's as paced, or an opened run's) and the one looked at.
  const events = useDisplay((state) => state.paced);
  const past = useDisplay((state) => state.past);
  const recordedAt = useDisplay((state) => state.recorded?.date);
  const clock = useDisplayClock();
  return <Timeline events={events} past={past} onPick={clock?.viewPast ?? noPick} recordedAt={recordedAt} />;
}

const noPick = () => {};

function ShownSyscalls({
  lab,
  real,
  onTrace,
}: {
  lab: LabDockProps["lab"];
  real: boolean;
  onTrace: (on: boolean) => void;
}) {
  return (
    <SyscallsView
      shown={useDisplay((state) => state.shown)}
      status={lab.syscallStatus}
      lines={lab.syscalls}
      dropped={lab.syscallsDropped}
      from={lab.syscallsFrom}
      realKernel={real}
      onTrace={onTrace}
    />
  );
}

/** The playground judges the exercises from the live lab's events. */
function LivePlayground({ playground, open }: { playground: PlaygroundState; open: boolean }) {
  const live = useDisplay((state) => state.live);
  const events = useMemo(() => live.record.slice(live.start, live.end), [live]);
  return <PlaygroundPanel playground={playground} open={open} events={events} />;
}
