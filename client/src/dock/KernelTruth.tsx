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

export type KernelTruthView = "sockets" | "sequence" | "bytes";

export type KernelTruthProps = {
  events: readonly LabEvent[];
  labPort: number | undefined;
  /** The one view shown (each is a dock tab of its own). */
  only: KernelTruthView;
};

/** What the kernel really did in this lab: its socket table, the connection's sequence, or the bytes. */
export function KernelTruth({ events, labPort, only }: KernelTruthProps) {
  switch (only) {
    case "sockets":
      return <SocketsOf events={events} labPort={labPort} />;
    case "sequence":
      return <SequenceOf events={events} labPort={labPort} />;
    case "bytes":
      return <BytesOf events={events} />;
    default:
      return only satisfies never;
  }
}

type Of = { events: readonly LabEvent[]; labPort?: number | undefined };

function SocketsOf({ events, labPort }: Of) {
  const tcpState = useMemo(() => latestTcpState(events), [events]);
  return <SocketStates snapshot={tcpState} labPort={labPort} />;
}

function SequenceOf({ events, labPort }: Of) {
  const sequence = useMemo(() => sequenceOf(events, labPort), [events, labPort]);
  return <SequenceDiagram items={sequence} />;
}

function BytesOf({ events }: Of) {
  const received = useMemo(() => lastReceived(events, listings), [events]);
  return <BytesView received={received} />;
}
