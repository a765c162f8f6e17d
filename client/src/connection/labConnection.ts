import {
  type ClientCommand,
  PROTOCOL_VERSION,
  type ServerEvent,
  ServerEventSchema,
  type ServerEventOf,
  WS_PATH,
  assertNever,
} from "../../../shared/protocol/messages.ts";
import type { Variant } from "../../../shared/protocol/steps.ts";
import type { SyscallLine } from "../../../shared/protocol/syscallMessages.ts";
import { EventRecord } from "./eventRecord.ts";

/** The most system-call lines the page keeps, as the printk pane keeps a bounded log. */
export const MAX_SYSCALL_LINES = 4000;

export type ConnectionStatus = "connecting" | "open" | "closed";

/** `endsAt` (epoch ms): a deadline the notice counts down to (the drain's), so it says the time left. */
export type Notice = { id: number; code: string; message: string; endsAt?: number };

/**
 * Everything the browser knows of its lab: the session's event record plus its settings. The record
 * only grows (and drops its oldest runs); `length` and `start` say how far it was when this snapshot
 * was taken, so a snapshot with more events is a new object.
 */
export type LabSnapshot = {
  status: ConnectionStatus;
  hello?: ServerEventOf<"hello">;
  variant: Variant;
  stepMode: boolean;
  record: EventRecord;
  /** The record's length and first held position when the snapshot was taken. */
  length: number;
  start: number;
  notices: readonly Notice[];
  /** The engine's last status (the Node lab until the learner picks "Real kernel"). */
  engine?: ServerEventOf<"engine">;
  /** Whether "Occupy port" holds the lab's port (absent until the learner first uses it). */
  port?: ServerEventOf<"port">;
  /** Who held the lab's port when the server's bind last failed with -98 (this lab, or another program). */
  portHolder?: ServerEventOf<"port.holder">;
  /** The System calls view: its state, and the traced lab's latest lines (bounded, oldest dropped). */
  syscallStatus?: ServerEventOf<"syscalls.status">;
  syscalls: readonly SyscallLine[];
  /** Lines dropped from the front to keep the bound. */
  syscallsDropped: number;
  /** The record's length when the traced lab started: its calls are those from there on. */
  syscallsFrom?: number;
  /** The latest turn of the learner's own build (queued, building, built or failed). */
  learnerBuild?: ServerEventOf<"learner.build">;
};

function initial(record: EventRecord): LabSnapshot {
  return {
    status: "connecting",
    variant: "published",
    stepMode: false,
    record,
    length: 0,
    start: 0,
    notices: [],
    syscalls: [],
    syscallsDropped: 0,
  };
}

/** What the browser knows before its first frame; also what the page renders before it connects. */
export const INITIAL_SNAPSHOT: LabSnapshot = initial(new EventRecord());

/**
 * The browser's end of the protocol: one WebSocket, each frame validated once here, and a snapshot
 * for React's useSyncExternalStore. Frames arriving together are folded into one snapshot per
 * animation frame, so a burst of events costs one render.
 */
export class LabConnection {
  private ws: WebSocket;
  private readonly record = new EventRecord();
  private snapshot: LabSnapshot = initial(this.record);
  private pending: ServerEvent[] = [];
  private frame = 0;
  private readonly listeners = new Set<() => void>();
  private noticeId = 0;

  constructor(url = defaultUrl()) {
    this.ws = new WebSocket(url);
    this.ws.addEventListener("open", this.onOpen);
    this.ws.addEventListener("message", this.onMessage);
    this.ws.addEventListener("close", this.onClose);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LabSnapshot => this.snapshot;

  send(command: ClientCommand): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(command));
    else this.notice("closed", "Not connected to the lab server.");
  }

  dismiss(id: number): void {
    this.update({ ...this.snapshot, notices: this.snapshot.notices.filter((n) => n.id !== id) });
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.ws.removeEventListener("open", this.onOpen);
    this.ws.removeEventListener("message", this.onMessage);
    this.ws.removeEventListener("close", this.onClose);
    this.ws.close();
    this.listeners.clear();
  }

  private onOpen = () => this.update({ ...this.snapshot, status: "open" });

  private onClose = () => {
    this.flush();
    this.update({ ...this.snapshot, status: "closed" });
  };

  private onMessage = (message: MessageEvent) => {
    let json: unknown;
    try {
      json = JSON.parse(String(message.data));
    } catch {
      return this.notice("frame-not-json", "The server sent a frame that is not JSON.");
    }
    const parsed = ServerEventSchema.safeParse(json);
    if (!parsed.success)
      return this.notice("frame-not-understood", "The server sent a message this page does not understand.");
    this.pending.push(parsed.data);
    if (!this.frame) this.frame = requestAnimationFrame(this.flush);
  };

  private flush = () => {
    this.frame = 0;
    if (this.pending.length === 0) return;
    let next: LabSnapshot = this.snapshot;
    for (const event of this.pending) next = reduce(next, event, this.record, () => ++this.noticeId);
    this.pending = [];
    this.update({ ...next, length: this.record.length, start: this.record.start });
  };

  private notice(code: string, message: string): void {
    const notice = { id: ++this.noticeId, code, message };
    this.update({ ...this.snapshot, notices: [...this.snapshot.notices, notice].slice(-5) });
  }

  private update(next: LabSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

function reduce(
  state: LabSnapshot,
  event: ServerEvent,
  record: EventRecord,
  nextId: () => number,
): LabSnapshot {
  switch (event.type) {
    case "hello":
      if (event.protocolVersion !== PROTOCOL_VERSION) {
        const message = `The server speaks protocol ${event.protocolVersion}; this page speaks ${PROTOCOL_VERSION}. Reload the page.`;
        return { ...state, notices: [...state.notices, { id: nextId(), code: "version", message }] };
      }
      return { ...state, hello: event, variant: event.variant, stepMode: event.stepMode };
    case "settings":
      return { ...state, variant: event.variant, stepMode: event.stepMode };
    case "error":
      return {
        ...state,
        notices: [...state.notices, { id: nextId(), code: event.code, message: event.message }].slice(-5),
      };
    case "step":
    case "step.waiting":
    case "printk":
    case "console":
    case "module.state":
    case "oops":
    case "kernel.boot":
    case "tcp.state":
      record.append(event);
      return state;
    case "engine":
      return { ...state, engine: event };
    case "server.draining":
      // One notice, kept current: each new count replaces the last one rather than stacking up.
      return {
        ...state,
        notices: [
          ...state.notices.filter((n) => n.code !== "draining"),
          {
            id: nextId(),
            code: "draining",
            message: event.message,
            endsAt: Date.now() + event.secondsLeft * 1000,
          },
        ].slice(-5),
      };
    case "syscalls.status": {
      const starts = event.state === "tracing" && state.syscallStatus?.state !== "tracing";
      return { ...state, syscallStatus: event, syscallsFrom: starts ? record.length : state.syscallsFrom };
    }
    case "syscalls": {
      const all = [...state.syscalls, ...event.lines];
      const drop = Math.max(0, all.length - MAX_SYSCALL_LINES);
      return {
        ...state,
        syscalls: drop ? all.slice(drop) : all,
        syscallsDropped: state.syscallsDropped + drop,
      };
    }
    case "learner.build":
      return { ...state, learnerBuild: event };
    case "port":
      return event.error
        ? {
            ...state,
            port: event,
            notices: [...state.notices, { id: nextId(), code: "refused", message: event.error }].slice(-5),
          }
        : { ...state, port: event };
    case "port.holder":
      return { ...state, portHolder: event };
    default:
      return assertNever(event);
  }
}

let early: LabConnection | undefined;

/**
 * Opens the page's connection before React first renders, so the WebSocket handshake and the
 * server's setting up of the lab overlap the loading of the strings and the first render.
 */
export function preconnect(): void {
  early ??= new LabConnection();
}

/** The connection preconnect() opened, the first time; a new one after that (or without it). */
export function takeConnection(): LabConnection {
  const taken = early ?? new LabConnection();
  early = undefined;
  return taken;
}

function defaultUrl(): string {
  // "Move this lab to a free port" reloads with ?port=free: the server then skips its preferred port.
  const free = new URLSearchParams(location.search).get("port") === "free" ? "?port=free" : "";
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${WS_PATH}${free}`;
}
