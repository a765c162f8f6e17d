import { createContext, type ReactNode, useContext, useMemo } from "react";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { LessonStepId } from "../../../shared/content/lesson/lessonSteps.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { useDisplay } from "../clock/displayClock.ts";
import { PredictionPrompt } from "./PredictionPrompt.tsx";
import { type Predictions, usePredictions } from "./usePredictions.ts";

type Asked = { predictions: Predictions; events: readonly LabEvent[] };

const PredictionsContext = createContext<Asked | null>(null);

export type PredictionsProviderProps = {
  /** Step mode on the Node lab: the only runs whose next call waits for an answer. */
  asking: boolean;
  step: (module: ModuleName) => void;
  /** The lesson step shown: a question is asked in its own step only. */
  lessonStep: LessonStepId;
  children: ReactNode;
};

/**
 * The lesson's open question, asked once and shown where the learner is: in the lesson column, and on
 * a phone also above the listings of the code view. One provider holds it, so both places show the
 * same question and an answer given in one is the answer in the other. Only the provider and the
 * prompts redraw on a live event; the layout passed in as children does not.
 */
export function PredictionsProvider({ asking, step, lessonStep, children }: PredictionsProviderProps) {
  const live = useDisplay((state) => state.live);
  // The predictions read the events the record holds of the live lab.
  const events = useMemo(() => live.record.slice(live.start, live.end), [live]);
  const predictions = usePredictions(events, asking, step, lessonStep);
  const value = useMemo(() => ({ predictions, events }), [predictions, events]);
  return <PredictionsContext.Provider value={value}>{children}</PredictionsContext.Provider>;
}

/** The open question (or the verdict of the step's last one), wherever it is placed. */
export function AskedQuestion() {
  const asked = useContext(PredictionsContext);
  return asked ? <PredictionPrompt predictions={asked.predictions} events={asked.events} /> : null;
}
