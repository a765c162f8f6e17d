import type { ClientCommand, ServerEventOf } from "../../shared/protocol/messages.ts";
import { realKernelAvailability } from "./availability.ts";
import type { ModuleSources } from "./build.ts";
import type { LearnerModule } from "./learnerModule.ts";
import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";
import { type LearnerBuildQueue, learnerBuildQueue } from "./learnerBuildQueue.ts";
import { type SandboxedBuildResult, sandboxedBuild } from "./sandboxedBuild.ts";

type BuildEvent = ServerEventOf<"learner.build">;
type BuildCommand = Extract<ClientCommand, { type: "learner.build" }>;

/** The log a page may hold (the protocol's cap), cut where it says so. */
const MAX_LOG_CHARS = 60 * 1024;
const MAX_DIAGNOSTICS = 200;

/**
 * One session's builds of the learner's own C: each goes through the server's queue into the
 * sandbox, and every turn of it (queued at N, building, built or failed with the diagnostics) is
 * sent as a `learner.build` event carrying the page's build id.
 */
export class LearnerBuilds {
  private disposed = false;
  /** The last successful build's modules, for the run that follows. */
  latest:
    | { buildId: number; base: Variant; sources: ModuleSources; modules: Record<ModuleName, string> }
    | undefined;

  constructor(
    private readonly send: (event: BuildEvent) => void,
    private readonly queue: LearnerBuildQueue = learnerBuildQueue,
  ) {}

  build(command: BuildCommand): void {
    const { buildId } = command;
    const availability = realKernelAvailability();
    if (!availability.ok) {
      const log = `The real kernel's packages are missing: ${availability.missing.join(", ")}. Run ${availability.installCommand}.`;
      return this.send({ type: "learner.build", buildId, status: "failed", failure: "unavailable", log });
    }
    const sources = builtText(command);
    const accepted = this.queue.submit(
      this,
      () => this.run(buildId, command.base, sources, availability.tools.buildDir),
      (position) => this.tell({ type: "learner.build", buildId, status: "queued", position }),
    );
    if (!accepted) {
      const log = "A build of yours is already queued or running; this one was not started.";
      this.send({ type: "learner.build", buildId, status: "failed", failure: "busy", log });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.queue.cancel(this);
  }

  /**
   * The module of build `buildId` as the engine loads it; undefined unless that build is this
   * learner's latest that succeeded (an older build's .ko may have been evicted from the cache).
   */
  moduleOf(buildId: number, module: ModuleName): LearnerModule | undefined {
    const latest = this.latest;
    if (!latest || latest.buildId !== buildId) return undefined;
    return {
      buildId,
      module,
      base: latest.base,
      source: latest.sources[module],
      koPath: latest.modules[module],
    };
  }

  private async run(buildId: number, base: Variant, sources: ModuleSources, buildDir: string): Promise<void> {
    if (this.disposed) return;
    this.tell({ type: "learner.build", buildId, status: "building" });
    const result = await sandboxedBuild(sources, buildDir);
    if (result.ok) this.latest = { buildId, base, sources, modules: result.modules };
    this.tell(resultEvent(buildId, result));
  }

  private tell(event: BuildEvent): void {
    if (!this.disposed) this.send(event);
  }
}

/** Built as the learner wrote it: the editor starts from the published listing with the lab's port already applied. */
function builtText(command: BuildCommand): ModuleSources {
  return { server: command.sources.server, client: command.sources.client };
}

function resultEvent(buildId: number, result: SandboxedBuildResult): BuildEvent {
  const log =
    result.log.length > MAX_LOG_CHARS ? `${result.log.slice(0, MAX_LOG_CHARS)}\n(log cut)` : result.log;
  const diagnostics = result.diagnostics.slice(0, MAX_DIAGNOSTICS);
  const base = { type: "learner.build" as const, buildId, diagnostics, log, ms: result.ms };
  if (result.ok) return { ...base, status: "built" };
  return { ...base, status: "failed", failure: result.failure, limit: result.limit };
}
