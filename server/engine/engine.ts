import type { Engine as EngineKind } from "../../shared/protocol/engineMessages.ts";
import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";
import type { LearnerModule } from "../realKernel/learnerModule.ts";

export type { EngineKind };

/**
 * Step mode, a capability an engine may have: each kernel call waits at its gate until the learner
 * presses Step (one call) or Continue (the rest of the module's run).
 */
export interface StepControls {
  readonly stepMode: boolean;
  setStepMode(enabled: boolean): void;
  stepNext(module: ModuleName): void;
  stepContinue(module: ModuleName): void;
}

/**
 * What runs the learner's modules: the Node lab (TS twins on Node's sockets), the real kernel (the C
 * in a VM), or any other. The session holds one and never asks which: what differs is said here.
 */
export interface Engine {
  readonly kind: EngineKind;
  /** The listing the next insmod loads. */
  readonly variant: Variant;
  /** Present when the engine can hold each kernel call (step mode); absent when it cannot. */
  readonly stepping?: StepControls;
  /**
   * Whether the engine keeps its modules and sockets while the learner looks at another engine
   * (the Node lab does; a VM is powered off, freeing its slot for another session).
   */
  readonly keepsStateWhenHidden: boolean;
  /**
   * Whether its sockets are this machine's: then a port another process holds here ("Occupy port")
   * is taken for its modules too. A VM with no network device has ports of its own.
   */
  readonly onHostPorts?: boolean;
  /** Sends the engine's status: ready, or what it needs, or what it is doing. */
  announce(): void;
  /** Chooses the kernel release the next boot takes (engines that boot kernels); returns why not. */
  selectRelease?(release: string, edits?: boolean): string | undefined;
  /** Chooses the listing; returns why not when this engine cannot run it. */
  selectVariant(variant: Variant): string | undefined;
  insmod(module: ModuleName): Promise<void>;
  /** Loads the learner's own build of a module (engines that run C); absent: only the shipped listings run. */
  insmodLearner?(module: ModuleName, build: LearnerModule): Promise<void>;
  rmmod(module: ModuleName): Promise<void>;
  /** Starts the engine afresh (a new VM), when that means something for it. */
  restart?(): void;
  /**
   * "Reset the lab": back to the start for real. Resolves to the engine to use from then on —
   * itself, or a fresh one in its place when it had to be ended (a module the kernel would not
   * unload). An engine without it is reset by restart().
   */
  reset?(): Promise<Engine>;
  /** Releases everything the engine opened: sockets, timers, processes. Sends nothing after. */
  dispose(): void;
}
