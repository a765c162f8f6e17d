import type { TFunction } from "i18next";
import type { Engine } from "../../../shared/protocol/engineMessages.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { Variant } from "../../../shared/protocol/steps.ts";

/** One engine run of a session: its engine, the listings it loaded (in order), its events' span. */
export type EngineRun = {
  engine: Engine;
  variants: Variant[];
  /** The real kernel's release, when its boot log named it. */
  release?: string;
  /** Index of its first event in the list read. */
  first: number;
  events: number;
};

/**
 * The run an event belongs to, as a key: its run number; for a file recorded before runs were
 * numbered, its engine (each switch of engine then starts a run).
 */
function runKey(event: LabEvent): string {
  return event.run !== undefined ? `run ${event.run}` : `engine ${event.engine ?? "node"}`;
}

/** Whether `event` starts a run: the first event, or one of another run than the event before it. */
export function startsRun(event: LabEvent, before: LabEvent | undefined): boolean {
  return before === undefined || runKey(event) !== runKey(before);
}

/**
 * The session's runs in order, each labelled by its own events: a session that switched engines, or
 * one VM after another, reads as several runs, never as one labelled by the engine in use last.
 */
export function engineRuns(events: readonly LabEvent[]): EngineRun[] {
  const runs: EngineRun[] = [];
  events.forEach((event, i) => {
    if (startsRun(event, events[i - 1]))
      runs.push({ engine: event.engine ?? "node", variants: [], first: i, events: 0 });
    const run = runs.at(-1) as EngineRun;
    run.events++;
    if (event.type === "module.state" && !run.variants.includes(event.variant))
      run.variants.push(event.variant);
    if (event.type === "kernel.boot" && event.release) run.release ??= event.release;
  });
  return runs;
}

/**
 * The run that starts at `position` of a record, read from its events up to `limit` of them (the
 * listings it loaded show in its first module.state events).
 */
export function runStartingAt(
  source: { at(position: number): LabEvent | undefined },
  position: number,
  end: number,
  limit = 400,
): EngineRun | undefined {
  const events: LabEvent[] = [];
  const first = source.at(position);
  if (!first) return undefined;
  for (let p = position; p < Math.min(end, position + limit); p++) {
    const event = source.at(p);
    if (!event || (events.length > 0 && startsRun(event, events.at(-1)))) break;
    events.push(event);
  }
  return engineRuns(events)[0];
}

/** "Real kernel (Linux 6.12.5), Fixed": a run in words, for the timeline and an opened run file. */
export function runWords(t: TFunction, run: EngineRun): string {
  const engine =
    run.engine === "node"
      ? t("engine.node")
      : run.release
        ? t("runs.realRelease", { release: run.release })
        : t("engine.real");
  const variants = run.variants.length
    ? run.variants.map((variant) => t(`variant.${variant}`)).join(t("runs.afterThat"))
    : t("runs.noModule");
  return t("runs.label", { engine, variants });
}
