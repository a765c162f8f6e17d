import { writeRunFile } from "../../../shared/protocol/runFile.ts";
import type { DisplayClock } from "../clock/displayClock.ts";
import type { LabConnection, LabSnapshot } from "../connection/labConnection.ts";
import type { PlaygroundState } from "../playground/usePlayground.ts";
import { exportLiveRun } from "../recording/exportLiveRun.ts";
import { RunFileControls } from "../recording/RunFileControls.tsx";

export type LabRunFileProps = {
  connection: LabConnection | null;
  clock: DisplayClock | null;
  /** The lab's settings, while no connection is made. */
  lab: LabSnapshot;
  playground: Pick<PlaygroundState, "draft" | "adopt">;
  kernel: { release: string; edits: boolean };
};

/**
 * Export run and Open run: the export writes the run open, or the live lab as the record holds it
 * at the click; a run opened goes to the display clock, its learner's sources to the playground.
 */
export function LabRunFile({ connection, clock, lab, playground, kernel }: LabRunFileProps) {
  return (
    <RunFileControls
      exportText={() => {
        const open = clock?.getSnapshot().recorded;
        if (open) return writeRunFile(open);
        const now = connection?.getSnapshot() ?? lab;
        return exportLiveRun(now, new Date(), playground.draft, {
          series: kernel.release,
          edits: kernel.edits,
        });
      }}
      onOpen={(run) => {
        clock?.openRun(run);
        if (run.learnerSources) playground.adopt(run.learnerSources);
      }}
    />
  );
}
