import { useMemo } from "react";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { DisplayClock } from "../clock/displayClock.ts";
import type { LabCommands } from "../connection/useLabCommands.ts";

/**
 * The commands the controls send, with what the page adds to two of them: Start on the real
 * kernel runs the learner's build, and Reset the lab takes the display to the live lab at once.
 */
export function useLabActions(
  labCommands: LabCommands,
  clock: DisplayClock | null,
  /** The learner's build Start runs on the real kernel (undefined on the Node lab, or none built). */
  buildFor: (module: ModuleName, variant: Variant) => number | undefined,
  real: boolean,
  variant: Variant,
): LabCommands {
  return useMemo(
    () => ({
      ...labCommands,
      // The real kernel starts the learner's build of a module they edited and built; the Node lab
      // runs only the shipped listings.
      load: (module: ModuleName) => labCommands.load(module, real ? buildFor(module, variant) : undefined),
      // Reset the lab shows the lab as it is now: not the calls the display still had queued before it.
      resetLab: () => {
        clock?.jumpToLive();
        labCommands.resetLab();
      },
    }),
    [labCommands, clock, real, buildFor, variant],
  );
}
