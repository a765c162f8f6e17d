import { useEffect } from "react";
import type { LessonStep } from "../../../shared/content/lesson/lessonSteps.ts";
import { useClockTransport } from "../clock/useClockTransport.ts";
import { useDisplay } from "../clock/displayClock.ts";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { PortHolderNote } from "../controls/PortHolderNote.tsx";
import { LessonPanel } from "../lesson/LessonPanel.tsx";
import { useLessonKeys } from "../lesson/useLessonKeys.ts";
import { AskedQuestion } from "../lesson/PredictionsProvider.tsx";
import { useWalkthrough } from "../lesson/useWalkthrough.ts";

export type LessonColumnProps = {
  lab: Pick<LabSnapshot, "hello" | "port" | "portHolder" | "stepMode">;
  onReset: () => void;
  onHelp: () => void;
  /** The step shown, for the lines it marks in the listings. */
  onStep: (step: LessonStep) => void;
};

/**
 * The lesson column: the step over the live lab as the display plays it, the prediction asked in
 * step mode (PredictionsProvider.tsx), whose port it is when bind failed, and the lesson's and transport's keys.
 */
export function LessonColumn({ lab, onReset, onHelp, onStep }: LessonColumnProps) {
  const lesson = useWalkthrough(lab.port?.occupied === true);
  const serverFailed = useDisplay((state) => state.liveMoment.modules.server.state === "failed");
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
      <AskedQuestion />
    </LessonPanel>
  );
}
