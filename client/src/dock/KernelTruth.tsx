import { useMemo } from "react";
import listings from "virtual:listings";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { BytesView } from "./BytesView.tsx";
import { receivedOf } from "./receivedBytes.ts";
import { runSequence } from "./runSequence.ts";
import { SequenceDiagram } from "./SequenceDiagram.tsx";
import { SocketStates } from "./SocketStates.tsx";
import "./kernelTruth.css";

export type KernelTruthProps = { shown: RecordPrefix; labPort: number | undefined };

/**
 * What the kernel really did in this lab: its socket table, the connection's sequence, the bytes.
 * Each read from the shown moment of the record; the sequence is the current run's.
 */
export function KernelTruth({ shown, labPort }: KernelTruthProps) {
  const moment = shown.record.momentAt(shown.end);
  const sequence = useMemo(() => runSequence(shown, labPort), [shown, labPort]);
  const { received: receive, receivedPrintk } = moment;
  const received = useMemo(
    () => (receive ? receivedOf(receive, receivedPrintk, listings) : undefined),
    [receive, receivedPrintk],
  );
  return (
    <div className="kernel-truth">
      <SocketStates snapshot={moment.tcp} labPort={labPort} />
      <SequenceDiagram items={sequence.items} run={sequence.run} folded={sequence.folded} />
      <BytesView received={received} />
    </div>
  );
}
