import { type RunFile, writeRunFile } from "../../../shared/protocol/runFile.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";

/**
 * The live session as a run file: every event the page keeps (its last KEEP_RUNS runs; older ones
 * are only summarised in the page), with the listing, the engine and when.
 */
export function exportLiveRun(
  snapshot: LabSnapshot,
  now = new Date(),
  learnerSources?: RunFile["learnerSources"],
  release?: { series: string; edits: boolean },
): string {
  const engine = snapshot.engine?.engine ?? "node";
  let kernelRelease = snapshot.engine?.kernelRelease;
  const { events } = snapshot.record.exportKept();
  for (const event of events)
    if (event.type === "kernel.boot" && event.release) kernelRelease = event.release;
  return writeRunFile({
    appVersion: import.meta.env.VITE_APP_VERSION ?? "unknown",
    date: now.toISOString(),
    variant: snapshot.variant,
    engine,
    kernelRelease: engine === "real-kernel" ? kernelRelease : undefined,
    kernelSeries: release?.series,
    releaseEdits: release?.edits,
    events,
    learnerSources,
  });
}
