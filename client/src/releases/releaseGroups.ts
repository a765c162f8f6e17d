import { KERNEL_SERIES, type ReleaseGroup } from "../../../shared/releases/kernelSeries.ts";

export type ReleaseHere = { series: string; release: string; boots: boolean };
export type PickerOption = { series: string; group: ReleaseGroup; release?: string };

/**
 * The picker's groups, as Compiler Explorer groups compilers: what this server boots, what it
 * only builds, and the rest (listings and diffs only). The server says what is here.
 */
export function releaseOptions(here: readonly ReleaseHere[] | undefined): PickerOption[] {
  return KERNEL_SERIES.map((s) => {
    const found = here?.find((h) => h.series === s.name);
    if (!found) return { series: s.name, group: "history" as const };
    return {
      series: s.name,
      group: found.boots ? ("runs" as const) : ("builds" as const),
      release: found.release,
    };
  });
}
