import type { TFunction } from "i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { ModuleName, StepId } from "../../../shared/protocol/steps.ts";
import type { TcpStateName } from "../../../shared/protocol/tcpStates.ts";
import { roleOf, type SocketRole, type TcpStateEvent } from "./socketRows.ts";

/** What a message row stands for: the handshake a connect completed, the bytes a send queued, a FIN. */
export type Segment = { segment: "handshake" } | { segment: "data"; bytes: number } | { segment: "fin" };

/** One row of the sequence diagram, in the order the lab saw it happen; its words come from the labels below. */
export type SequenceItem =
  | { kind: "call"; side: ModuleName; step: StepId; result: number | null; errno?: string; pending: boolean }
  | ({ kind: "message"; from: ModuleName } & Segment)
  | { kind: "state"; side: ModuleName; socket: SocketRole; state: TcpStateName | "gone" };

/** Each call by the kernel's short name; the two releases say which socket, in the reader's language. */
const CALL_LABELS: Record<StepId, string | ((t: TFunction) => string)> = {
  sock_create_kern: "sock_create_kern",
  bind: "bind",
  listen: "listen",
  kthread_run: "kthread_run",
  accept: "accept",
  kernel_recvmsg: "recvmsg",
  sock_release_conn: (t) => t("sequence.releaseConnection"),
  kernel_sock_shutdown: "shutdown",
  sock_release_listener: (t) => t("sequence.releaseListener"),
  connect: "connect",
  kernel_sendmsg: "sendmsg",
  sock_release: "release",
};

export function callLabel(step: StepId, t: TFunction): string {
  const label = CALL_LABELS[step];
  return typeof label === "string" ? label : label(t);
}

export function messageLabel(segment: Segment, t: TFunction): string {
  switch (segment.segment) {
    case "handshake":
      return "SYN · SYN-ACK · ACK";
    case "data":
      return t("sequence.bytes", { n: segment.bytes });
    case "fin":
      return "FIN";
  }
}

/** A state pill: the TCP state as the kernel names it, the listener's marked as such. */
export function stateLabel(item: Extract<SequenceItem, { kind: "state" }>, t: TFunction): string {
  const state = item.state === "gone" ? t("sequence.gone") : item.state;
  return item.socket === "listener" ? t("sequence.listenerState", { state }) : state;
}

const other = (side: ModuleName): ModuleName => (side === "server" ? "client" : "server");

/**
 * The connection's story from the event list: each kernel call when it returned (or, while it
 * blocks, that it is waiting), the states the kernel reported between calls, and the segments those
 * imply — the handshake a returning connect completed, the bytes a send queued, the FIN a peer's
 * CLOSE_WAIT proves arrived.
 */
export function sequenceOf(
  events: readonly LabEvent[],
  labPort: number | undefined,
  before?: TcpStateEvent,
): SequenceItem[] {
  const fold = new SequenceFold(labPort, before);
  for (const event of events) fold.push(event);
  return fold.items;
}

/**
 * sequenceOf one event at a time: a view that already folded a run's first events adds only the
 * new ones (runSequence.ts), and a long run can be folded across several tasks.
 */
export class SequenceFold {
  readonly items: SequenceItem[] = [];
  // Keyed by module and step: a module's kthread and its init or exit may each be inside a call.
  private readonly pending = new Map<string, number>();
  private states: Map<string, SocketState>;

  constructor(
    private readonly labPort: number | undefined,
    before?: TcpStateEvent,
  ) {
    // A run shown on its own starts from the socket table the kernel last reported before it.
    this.states = before && labPort !== undefined ? statesOf(before, labPort) : new Map();
  }

  push(event: LabEvent): void {
    const { items, pending, labPort } = this;
    if (event.type === "step" && event.phase === "enter") {
      pending.set(`${event.module} ${event.step}`, items.length);
      items.push({ kind: "call", side: event.module, step: event.step, result: null, pending: true });
    } else if (event.type === "step" && event.phase === "exit") {
      const key = `${event.module} ${event.step}`;
      const at = pending.get(key);
      const call = {
        kind: "call",
        side: event.module,
        step: event.step,
        result: event.result,
        errno: event.errno,
        pending: false,
      } as const;
      // A call that returned at once replaces its own "waiting" row; one that blocked keeps it and returns later.
      if (at !== undefined && at === items.length - 1) items[at] = call;
      else items.push(call);
      pending.delete(key);
      if (event.step === "connect" && event.result === 0)
        items.push({ kind: "message", from: "client", segment: "handshake" });
      if (event.step === "kernel_sendmsg" && event.result !== null && event.result > 0) {
        items.push({ kind: "message", from: "client", segment: "data", bytes: event.result });
      }
    } else if (event.type === "tcp.state" && labPort !== undefined) {
      const next = statesOf(event, labPort);
      for (const [key, now] of next) {
        if (this.states.get(key)?.state === now.state) continue;
        const side: ModuleName = now.role === "client" ? "client" : "server";
        if (now.state === "CLOSE_WAIT") items.push({ kind: "message", from: other(side), segment: "fin" });
        items.push({ kind: "state", side, socket: now.role, state: now.state });
      }
      for (const [key, was] of this.states) {
        if (!next.has(key))
          items.push({
            kind: "state",
            side: was.role === "client" ? "client" : "server",
            socket: was.role,
            state: "gone",
          });
      }
      this.states = next;
    }
  }
}

type SocketState = { role: SocketRole; state: TcpStateName };

function statesOf(event: TcpStateEvent, labPort: number): Map<string, SocketState> {
  const states = new Map<string, SocketState>();
  for (const row of event.rows)
    states.set(`${row.local.port}-${row.remote.port}`, { role: roleOf(row, labPort), state: row.state });
  return states;
}

/** One sentence per item, for the diagram's text alternative, in the language `t` speaks. */
export function describeItem(item: SequenceItem, t: TFunction): string {
  const name = (module: ModuleName) => t(`module.${module}.name`);
  switch (item.kind) {
    case "call": {
      const at = { side: name(item.side), call: callLabel(item.step, t) };
      if (item.pending) return t("sequence.waits", at);
      if (item.result === null) return t("sequence.returned", at);
      return t("sequence.returnedValue", {
        ...at,
        result: `${item.result}${item.errno ? ` (${item.errno})` : ""}`,
      });
    }
    case "message":
      return t("sequence.message", {
        from: name(item.from),
        to: name(other(item.from)),
        label: messageLabel(item, t),
      });
    case "state": {
      const listening = item.socket === "listener";
      if (item.state === "gone")
        return t(listening ? "sequence.listeningGone" : "sequence.socketGone", { side: name(item.side) });
      return t(listening ? "sequence.listeningIs" : "sequence.socketIs", {
        side: name(item.side),
        state: item.state,
      });
    }
  }
}
