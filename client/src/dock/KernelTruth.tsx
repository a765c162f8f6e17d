import { lazy, useContext, useEffect, useMemo, useState } from "react";
import listings from "virtual:listings";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { printkLimit } from "../../../shared/releases/releaseFacts.ts";
import { KernelReleaseContext } from "../releases/kernelReleaseContext.ts";
import { receivedOf } from "./receivedBytes.ts";
import { runSequence } from "./runSequence.ts";
import { PaneLoading } from "./PaneLoading.tsx";
import "./kernelTruth.css";

// None of the three is the dock's first tab: each comes with its tab (PaneLoading.tsx).
const SocketStates = lazy(() => import("./SocketStates.tsx").then((m) => ({ default: m.SocketStates })));
const SequenceDiagram = lazy(() =>
  import("./SequenceDiagram.tsx").then((m) => ({ default: m.SequenceDiagram })),
);
const BytesView = lazy(() => import("./BytesView.tsx").then((m) => ({ default: m.BytesView })));

export type KernelTruthView = "sockets" | "sequence" | "bytes";

export type KernelTruthProps = {
  /** The window of the record shown: its last moment, and (for the sequence) its current run. */
  shown: RecordPrefix;
  labPort: number | undefined;
  /** The one view shown (each is a dock tab of its own). */
  only: KernelTruthView;
};

/**
 * What the kernel really did in this lab: its socket table, the connection's sequence, or the bytes.
 * Each read from the shown moment of the record; the sequence is the current run's.
 */
export function KernelTruth({ shown, labPort, only }: KernelTruthProps) {
  return <PaneLoading>{view(only, shown, labPort)}</PaneLoading>;
}

function view(only: KernelTruthView, shown: RecordPrefix, labPort: number | undefined) {
  switch (only) {
    case "sockets":
      return <SocketsOf shown={shown} labPort={labPort} />;
    case "sequence":
      return <SequenceOf shown={shown} labPort={labPort} />;
    case "bytes":
      return <BytesOf shown={shown} />;
    default:
      return only satisfies never;
  }
}

type Of = { shown: RecordPrefix; labPort?: number | undefined };

function SocketsOf({ shown, labPort }: Of) {
  const moment = shown.record.momentAt(shown.end);
  return <SocketStates snapshot={moment.tcp} labPort={labPort} />;
}

function SequenceOf({ shown, labPort }: Of) {
  // A long opened run is folded a slice per task: each task that leaves some asks for the next.
  const [slices, setSlices] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new slice count asks for the run's next slice
  const sequence = useMemo(() => runSequence(shown, labPort), [shown, labPort, slices]);
  useEffect(() => {
    if (!sequence.drawing) return;
    const next = setTimeout(() => setSlices((n) => n + 1), 0);
    return () => clearTimeout(next);
  }, [sequence]);
  return (
    <SequenceDiagram
      items={sequence.items}
      run={sequence.run}
      folded={sequence.folded}
      drawing={sequence.drawing}
    />
  );
}

function BytesOf({ shown }: Of) {
  const { received: receive, receivedPrintk } = shown.record.momentAt(shown.end);
  // The record limit is the picked release's (6.1: 992 bytes, 6.3 and later: 1024).
  const series = useContext(KernelReleaseContext);
  const limit = printkLimit(series);
  const received = useMemo(
    () => (receive ? receivedOf(receive, receivedPrintk, listings, limit.lineMax) : undefined),
    [receive, receivedPrintk, limit.lineMax],
  );
  return <BytesView received={received} series={series} limit={limit} />;
}
