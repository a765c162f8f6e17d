import type { RunFile } from "../../../shared/protocol/runFile.ts";
import { DEFAULT_SERIES, isKnownSeries, seriesOf } from "../../../shared/releases/kernelSeries.ts";

/**
 * The release an opened run was recorded with, so its listings and facts are that release's: the
 * picked series the file carries, else (a file from before the picker) the series of the real
 * kernel's `uname -r`, else the lab's default. Opening a run never changes the live lab's pick.
 */
export function runRelease(run: RunFile): { release: string; edits: boolean } {
  const fromUname = run.kernelRelease ? seriesOf(run.kernelRelease) : undefined;
  const release =
    run.kernelSeries && isKnownSeries(run.kernelSeries)
      ? run.kernelSeries
      : fromUname && isKnownSeries(fromUname)
        ? fromUname
        : DEFAULT_SERIES;
  return { release, edits: run.releaseEdits ?? true };
}
