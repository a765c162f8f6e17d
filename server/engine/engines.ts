import type { Variant } from "../../shared/protocol/steps.ts";
import { LabKernel } from "../lab/labKernel.ts";
import { RealKernelEngine } from "../realKernel/engine.ts";
import { releasesHere } from "../realKernel/kernelReleases.ts";
import { LearnerBuilds } from "../realKernel/learnerBuilds.ts";
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
  /** The kernel release the learner picked (a series, "6.12"); engines without kernels ignore it. */
  release?: string;
  /** false: the listings are built without the release's edits. */
  releaseEdits?: boolean;
};

/** Every engine the learner can choose: a new one is added here (and in the protocol's ENGINES), not in Session. */
const ENGINE_FACTORIES: Record<EngineKind, (context: EngineContext) => Engine> = {
  node: ({ stamper, labPort, variant, socketLimit, release }) =>
    new LabKernel({ port: labPort, stamper, variant, socketLimit, release }),
  "real-kernel": ({ stamper, variant, owner, release, releaseEdits }) =>
    new RealKernelEngine({ stamper, variant, owner, release, edits: releaseEdits }),
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

/** The engine whose system calls the System calls tab traces: its sockets are this machine's. */
export const SYSCALL_TRACED_ENGINE: EngineKind = "node";

/** The learner's own C, built in the sandbox for the engine that runs C (one per session). */
export function createLearnerBuilds(send: ConstructorParameters<typeof LearnerBuilds>[0]): LearnerBuilds {
  return new LearnerBuilds(send);
}

/**
 * The kernel releases this server builds for (and boots), for every session's hello: read from
 * the disk at most every few seconds, so a classroom connecting at once does not stat it per tab.
 */
let releasesSeen: { at: number; releases: ReturnType<typeof releasesHere> } | undefined;
const RELEASES_FRESH_MS = 5_000;
export function kernelReleasesHere(now = Date.now()): ReturnType<typeof releasesHere> {
  if (!releasesSeen || now - releasesSeen.at > RELEASES_FRESH_MS)
    releasesSeen = { at: now, releases: releasesHere() };
  return releasesSeen.releases;
}
