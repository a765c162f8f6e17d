import { type InitWarning, MODULE_INIT_WARNING } from "../content/moduleInitWarning.ts";
import { compareReleases } from "./kernelSeries.ts";

/**
 * What do_init_module() prints for an init that returns a positive value on `series`: up to v7.0
 * two lines (read in v6.1's and v7.0's kernel/module/main.c), from v7.1-rc1 one line naming the
 * module (read in 7.1.5's) — shared/content/moduleInitWarning.ts holds both with their sources.
 */
export function initWarningFor(series: string): InitWarning {
  const [upTo70, from71] = MODULE_INIT_WARNING;
  if (!upTo70 || !from71) throw new Error("moduleInitWarning.ts lost an entry");
  return compareReleases(series, "7.1") >= 0 ? from71 : upTo70;
}
