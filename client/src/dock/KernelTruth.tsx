import { useMemo } from "react";
import listings from "virtual:listings";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { BytesView } from "./BytesView.tsx";
import { lastReceived } from "./receivedBytes.ts";
import { SequenceDiagram } from "./SequenceDiagram.tsx";
import { sequenceOf } from "./sequenceModel.ts";
import { SocketStates } from "./SocketStates.tsx";
import "./kernelTruth.css";
import { latestTcpState } from "./socketRows.ts";

export type KernelTruthProps = { events: readonly LabEvent[]; labPort: number | undefined };

/** What the kernel really did in this lab: its socket table, the connection's sequence, the bytes. */
export function KernelTruth({ events, labPort }: KernelTruthProps) {
  const tcpState = useMemo(() => latestTcpState(events), [events]);
  const sequence = useMemo(() => sequenceOf(events, labPort), [events, labPort]);
  const received = useMemo(() => lastReceived(events, listings), [events]);
  return (
    <div className="kernel-truth">
      <SocketStates snapshot={tcpState} labPort={labPort} />
      <SequenceDiagram items={sequence} />
      <BytesView received={received} />
    </div>
  );
}
