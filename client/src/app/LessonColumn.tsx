import { useEffect, useMemo } from "react";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import type { LessonStep } from "../../../shared/content/lesson/lessonSteps.ts";
import { useClockTransport } from "../clock/useClockTransport.ts";
import { useDisplay } from "../clock/useDisplay.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { PortHolderNote } from "../controls/PortHolderNote.tsx";
import { LessonPanel } from "../lesson/LessonPanel.tsx";
import { PredictionPrompt } from "../lesson/PredictionPrompt.tsx";
import { useLessonKeys } from "../lesson/useLessonKeys.ts";
import { usePredictions } from "../lesson/usePredictions.ts";
import { useWalkthrough } from "../lesson/useWalkthrough.ts";

export type LessonColumnProps = {
  lab: Pick<LabSnapshot, "hello" | "port" | "portHolder" | "stepMode">;
  real: boolean;
  onReset: () => void;
  step: (module: ModuleName) => void;
  onHelp: () => void;
  /** The step shown, for the lines it marks in the listings. */
  onStep: (step: LessonStep) => void;
};

/**
 * The lesson column: the step over the live lab as the display plays it, the prediction asked in
 * step mode, whose port it is when bind failed, and the lesson's and transport's keys.
 */
export function LessonColumn({ lab, real, onReset, step, onHelp, onStep }: LessonColumnProps) {
  const lesson = useWalkthrough(lab.port?.occupied === true);
  const live = useDisplay((state) => state.live);
  const serverFailed = useDisplay((state) => state.liveMoment.modules.server.state === "failed");
  // The predictions read the events the record holds of the live lab.
  const liveEvents = useMemo(() => live.record.slice(live.start, live.end), [live]);
  const predictions = usePredictions(liveEvents, lab.stepMode && !real, step);
  const transport = useClockTransport();
  useLessonKeys({
    next: lesson.next,
    back: lesson.back,
    help: onHelp,
    stepBack: transport.back,
    stepForward: transport.forward,
    live: transport.live,
  });
  useEffect(() => onStep(lesson.step), [lesson.step, onStep]);
  return (
    <LessonPanel lesson={lesson} port={lab.hello?.labPort} onReset={onReset}>
      <PortHolderNote holder={lab.portHolder} serverFailed={serverFailed} />
      <PredictionPrompt predictions={predictions} events={liveEvents} />
    </LessonPanel>
  );
}
