import type { LabEvent } from "../../shared/protocol.ts";
import type { ModuleName, StepId } from "../../shared/steps.ts";
import type { TcpStateName } from "../../shared/tcpStates.ts";
import { roleOf, type SocketRole } from "./socketRows.ts";

/** One row of the sequence diagram, in the order the lab saw it happen. */
export type SequenceItem =
  | { kind: "call"; side: ModuleName; label: string; result: number | null; errno?: string; pending: boolean }
  | { kind: "message"; from: ModuleName; label: string }
  | { kind: "state"; side: ModuleName; socket: SocketRole; state: TcpStateName | "gone" };

const CALL_LABELS: Record<StepId, string> = {
  sock_create_kern: "sock_create_kern",
  bind: "bind",
  listen: "listen",
  kthread_run: "kthread_run",
  accept: "accept",
  kernel_recvmsg: "recvmsg",
  sock_release_conn: "release (connection)",
  kernel_sock_shutdown: "shutdown",
  sock_release_listener: "release (listener)",
  connect: "connect",
  kernel_sendmsg: "sendmsg",
  sock_release: "release",
};

const other = (side: ModuleName): ModuleName => (side === "server" ? "client" : "server");

/**
 * The connection's story from the event list: each kernel call when it returned (or, while it
 * blocks, that it is waiting), the states the kernel reported between calls, and the segments those
 * imply — the handshake a returning connect completed, the bytes a send queued, the FIN a peer's
 * CLOSE_WAIT proves arrived.
 */
export function sequenceOf(events: readonly LabEvent[], labPort: number | undefined): SequenceItem[] {
  const items: SequenceItem[] = [];
  // Keyed by module and step: a module's kthread and its init or exit may each be inside a call.
  const pending = new Map<string, number>();
  let states = new Map<string, { role: SocketRole; state: TcpStateName }>();
  for (const event of events) {
    if (event.type === "step" && event.phase === "enter") {
      pending.set(`${event.module} ${event.step}`, items.length);
      items.push({ kind: "call", side: event.module, label: CALL_LABELS[event.step], result: null, pending: true });
    } else if (event.type === "step" && event.phase === "exit") {
      const key = `${event.module} ${event.step}`;
      const at = pending.get(key);
      const call = { kind: "call", side: event.module, label: CALL_LABELS[event.step], result: event.result, errno: event.errno, pending: false } as const;
      // A call that returned at once replaces its own "waiting" row; one that blocked keeps it and returns later.
      if (at !== undefined && at === items.length - 1) items[at] = call;
      else items.push(call);
      pending.delete(key);
      if (event.step === "connect" && event.result === 0) items.push({ kind: "message", from: "client", label: "SYN · SYN-ACK · ACK" });
      if (event.step === "kernel_sendmsg" && event.result !== null && event.result > 0) {
        items.push({ kind: "message", from: "client", label: `${event.result} bytes` });
      }
    } else if (event.type === "tcp.state" && labPort !== undefined) {
      const next = new Map<string, { role: SocketRole; state: TcpStateName }>();
      for (const row of event.rows) next.set(`${row.local.port}-${row.remote.port}`, { role: roleOf(row, labPort), state: row.state });
      for (const [key, now] of next) {
        if (states.get(key)?.state === now.state) continue;
        const side: ModuleName = now.role === "client" ? "client" : "server";
        if (now.state === "CLOSE_WAIT") items.push({ kind: "message", from: other(side), label: "FIN" });
        items.push({ kind: "state", side, socket: now.role, state: now.state });
      }
      for (const [key, was] of states) {
        if (!next.has(key)) items.push({ kind: "state", side: was.role === "client" ? "client" : "server", socket: was.role, state: "gone" });
      }
      states = next;
    }
  }
  return items;
}

/** One sentence per item, for the diagram's text alternative. */
export function describeItem(item: SequenceItem): string {
  switch (item.kind) {
    case "call":
      if (item.pending) return `${item.side} calls ${item.label} and waits`;
      if (item.result === null) return `${item.side}: ${item.label} returned`;
      return `${item.side}: ${item.label} returned ${item.result}${item.errno ? ` (${item.errno})` : ""}`;
    case "message":
      return `${item.from} → ${other(item.from)}: ${item.label}`;
    case "state":
      return item.state === "gone"
        ? `${item.side}'s ${item.socket === "listener" ? "listening " : ""}socket leaves the kernel's table`
        : `${item.side}'s ${item.socket === "listener" ? "listening " : ""}socket is ${item.state}`;
  }
}
