import type { Variant } from "../../shared/protocol/steps.ts";
import { LabKernel } from "../lab/labKernel.ts";
import { RealKernelEngine } from "../realKernel/engine.ts";
import type { Engine, EngineKind } from "./engine.ts";
import type { EventStamper } from "./eventStamper.ts";

/** What a session gives the engine it creates. */
export type EngineContext = {
  stamper: EventStamper;
  /** The port this session's lab may bind and dial (the Node lab's sockets are on the host). */
  labPort: number;
  variant: Variant;
  /** Sockets the Node lab's modules may hold open at once (LAB_SOCKET_LIMIT). */
  socketLimit?: number;
  /** The client's remote address: real-kernel VMs are capped per address. */
  owner?: string;
};

/** Every engine the learner can choose: a new one is added here (and in the protocol's ENGINES), not in Session. */
const ENGINE_FACTORIES: Record<EngineKind, (context: EngineContext) => Engine> = {
  node: ({ stamper, labPort, variant, socketLimit }) =>
    new LabKernel({ port: labPort, stamper, variant, socketLimit }),
  "real-kernel": ({ stamper, variant, owner }) => new RealKernelEngine({ stamper, variant, owner }),
};

export function createEngine(kind: EngineKind, context: EngineContext): Engine {
  return ENGINE_FACTORIES[kind](context);
}

const ENGINE_NAMES: Record<EngineKind, { name: string; ended: string }> = {
  node: { name: "Node lab", ended: "its sockets closed" },
  "real-kernel": { name: "real kernel", ended: "its VM powered off" },
};

/** The shell line that says the learner's switch ended the engine's run, and how. */
export function runEndedText(left: EngineKind, chosen: EngineKind): string {
  return `[${ENGINE_NAMES[left].name} run ended, ${ENGINE_NAMES[left].ended}: switched to the ${ENGINE_NAMES[chosen].name}]`;
}

/** The engine a new session starts with. */
export const DEFAULT_ENGINE: EngineKind = "node";
