/**
 * What an operator scales and alerts on, in Prometheus's text format (prom-client): sessions, labs
 * per engine, VMs in use / limit / queued, builds queued, how long a command waits for its first
 * step, and connections dropped by reason. Each app has its own registry (tests run several apps
 * in one process); values that belong to the whole process (the VM pool, the build queue) are read
 * when scraped, through readers the parts that own them register. No process metrics (CPU,
 * memory): the orchestrator measures those, and their event-loop monitor would outlive the app.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { ENGINES, type Engine as EngineKind } from "../../shared/protocol/engineMessages.ts";

/** Why a connection or lab was dropped or refused: the label values of ksl_dropped_connections_total. */
export const DROP_REASONS = [
  "connection-cap",
  "forbidden-origin",
  "draining",
  "full",
  "address-full",
  "learner-full",
  "not-reading",
  "idle",
  "no-lab",
  "socket-budget",
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * Process-wide readers: a part that owns a queue registers how to read its length (the build
 * queue does `feedGauge("buildsQueued", () => queue.length)`); unregistered, the gauge reads 0.
 */
const readers: Record<"buildsQueued", () => number> = { buildsQueued: () => 0 };

export function feedGauge(name: keyof typeof readers, read: () => number): void {
  readers[name] = read;
}

export type MetricSources = {
  sessions: () => number;
  labsByEngine: () => Map<EngineKind, number>;
  vms: () => { active: number; max: number; waiting: number };
};

export class LabMetrics {
  readonly registry = new Registry();
  private readonly dropped: Counter<"reason">;
  private readonly stepLatency: Histogram<"engine">;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    new Gauge({
      name: "ksl_sessions",
      help: "Labs (WebSocket sessions) open now",
      registers,
      collect() {
        this.set(sources.sessions());
      },
    });
    new Gauge({
      name: "ksl_labs",
      help: "Labs open now, by the engine each learner has selected",
      labelNames: ["engine"],
      registers,
      collect() {
        const counts = sources.labsByEngine();
        for (const engine of ENGINES) this.set({ engine }, counts.get(engine) ?? 0);
      },
    });
    const vm = (name: string, help: string, read: (v: ReturnType<MetricSources["vms"]>) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(sources.vms()));
        },
      });
    vm("ksl_vms_in_use", "Real-kernel VMs running now", (v) => v.active);
    vm("ksl_vms_limit", "Real-kernel VMs this process runs at most (REAL_KERNEL_MAX_VMS)", (v) => v.max);
    vm("ksl_vms_queued", "Learners waiting for a real-kernel VM", (v) => v.waiting);
    new Gauge({
      name: "ksl_builds_queued",
      help: "Module builds waiting for kbuild",
      registers,
      collect() {
        this.set(readers.buildsQueued());
      },
    });
    this.stepLatency = new Histogram({
      name: "ksl_step_latency_seconds",
      help: "From a learner's command (insmod, step) to the first step event it caused",
      labelNames: ["engine"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.dropped = new Counter({
      name: "ksl_dropped_connections_total",
      help: "Connections or labs refused or closed by the server, by reason",
      labelNames: ["reason"],
      registers,
    });
    for (const reason of DROP_REASONS) this.dropped.inc({ reason }, 0);
  }

  drop(reason: DropReason): void {
    this.dropped.inc({ reason });
  }

  observeStep(engine: EngineKind, seconds: number): void {
    this.stepLatency.observe({ engine }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
