import type { LabEvent, ServerEvent } from "../../shared/protocol/messages.ts";
import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";

/** How the traced worker's lab starts: the session's port, listing and step mode, and its clock so far. */
export type WorkerStart = {
  type: "start";
  port: number;
  variant: Variant;
  stepMode: boolean;
  socketLimit?: number;
  /** Milliseconds the session's lab clock has run: the worker's lab goes on from there. */
  elapsedMs: number;
};

/** Parent → worker: the Engine's calls, each answered by a `done` with its id. */
export type WorkerCommand =
  | WorkerStart
  | { type: "insmod" | "rmmod" | "stepNext" | "stepContinue"; id: number; module: ModuleName }
  | { type: "selectVariant"; id: number; variant: Variant }
  | { type: "setStepMode"; id: number; enabled: boolean }
  | { type: "reset"; id: number }
  | { type: "notice"; id: number; text: string };

/** Worker → parent. */
export type WorkerReport =
  | { type: "ready"; pid: number }
  | { type: "event"; event: LabEvent }
  | { type: "notice"; event: ServerEvent }
  | { type: "done"; id: number; refused?: string; error?: string };
