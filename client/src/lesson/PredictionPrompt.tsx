import { useRef } from "react";
import { useTranslation } from "react-i18next";
import "./prediction.css";
import { CHOICE_ERRNO_NAMES, type PredictedOutcome } from "../../../shared/content/lesson/predictions.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { roundOutcome } from "./predictionRounds.ts";
import type { Predictions } from "./usePredictions.ts";
import { useRevealInPane } from "./useRevealInPane.ts";

function useOutcomeWords(): (outcome: PredictedOutcome) => string {
  const { t } = useTranslation();
  return (outcome) => {
    if (outcome === "blocks") return t("predict.blocks");
    const name = outcome < 0 ? CHOICE_ERRNO_NAMES[-outcome] : undefined;
    return name ? `${outcome} (${name})` : String(outcome);
  };
}

function whyKey(outcome: PredictedOutcome): string {
  return outcome === "blocks" ? "blocks" : outcome < 0 ? `m${-outcome}` : `r${outcome}`;
}

export type PredictionPromptProps = { predictions: Predictions; events: readonly LabEvent[] };

/**
 * "What will connect return?": the question while a module waits at a prediction point of this
 * lesson step, then this step's last answer beside the real result with why, and the tally. The
 * buttons are the choices, in tab order. A new question or verdict is brought into the pane's view.
 */
export function PredictionPrompt({ predictions, events }: PredictionPromptProps) {
  const { t } = useTranslation();
  const words = useOutcomeWords();
  const region = useRef<HTMLElement>(null);
  const { asking, latest, tally } = predictions;
  useRevealInPane(region, asking?.waitingSeq ?? latest?.waitingSeq);
  if (!asking && !latest) return null;
  const result = latest ? roundOutcome(latest, events) : undefined;
  const callName = (point: { asks: string; step: string; module: string }) =>
    point.asks === "init" ? `${point.module}_init` : point.step;
  return (
    <section className="prediction" aria-label={t("predict.region")} ref={region}>
      {asking ? (
        <fieldset className="prediction-question">
          <legend>
            {asking.point.lead ? (
              <span className="prediction-lead">{t(`predict.lead.${asking.point.id}`)} </span>
            ) : null}
            {t(asking.point.asks === "init" ? "predict.askInit" : "predict.ask", {
              call: callName(asking.point),
            })}
          </legend>
          <div className="prediction-choices">
            {asking.point.choices.map((choice) => (
              <button key={String(choice)} type="button" onClick={() => predictions.choose(choice)}>
                {words(choice)}
              </button>
            ))}
          </div>
          <p className="prediction-hint">{t("predict.hint")}</p>
        </fieldset>
      ) : null}
      {latest && result ? (
        <div className="prediction-result" role="status">
          <p>
            {t("predict.yours", { call: callName(latest.point) })} <strong>{words(latest.choice)}</strong>
            {" · "}
            {result.decided ? (
              <>
                {t("predict.real")} <strong>{words(result.outcome)}</strong>{" "}
                <span className={result.outcome === latest.choice ? "prediction-right" : "prediction-wrong"}>
                  {result.outcome === latest.choice ? `✓ ${t("predict.right")}` : `✗ ${t("predict.wrong")}`}
                </span>
              </>
            ) : (
              t(result.running ? "predict.running" : "predict.pending")
            )}
          </p>
          {result.decided ? (
            <p className="prediction-why">
              {latest.point.explained.includes(result.outcome)
                ? t(`predict.why.${latest.point.id}.${whyKey(result.outcome)}`)
                : t("predict.why.other")}
            </p>
          ) : null}
        </div>
      ) : null}
      {tally.total > 0 ? <p className="prediction-tally">{t("predict.tally", tally)}</p> : null}
    </section>
  );
}
