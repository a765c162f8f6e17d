import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { EXERCISE_IDS, type ExerciseId, judgeLastRun } from "./exercises.ts";

const STORAGE_KEY = "ksl.exercises.v1";

type Progress = Partial<Record<ExerciseId, number>>;

function loadProgress(): Progress {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") as Record<string, unknown>;
    const progress: Progress = {};
    for (const id of EXERCISE_IDS) if (typeof stored[id] === "number") progress[id] = stored[id] as number;
    return progress;
  } catch {
    return {};
  }
}

/**
 * The "fix it" exercises, each with its verdict on the real kernel's last run and the guest's
 * records it rests on. An exercise passed by a learner's build is kept as done in the browser.
 */
export function ExercisesPanel({ events }: { events: readonly LabEvent[] }) {
  const { t } = useTranslation();
  const judged = useMemo(() => judgeLastRun(events), [events]);
  const [progress, setProgress] = useState<Progress>(loadProgress);
  useEffect(() => {
    const build = judged?.build;
    if (!judged || build === undefined) return;
    const passed = judged.verdicts.filter((v) => v.verdict === "pass" && progress[v.id] === undefined);
    if (passed.length === 0) return;
    const next = { ...progress };
    for (const v of passed) next[v.id] = build;
    setProgress(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // A full or disabled storage keeps the progress for this page only.
    }
  }, [judged, progress]);
  const run = judged
    ? judged.build === undefined
      ? t("exercises.runShipped")
      : t("exercises.runBuild", { build: judged.build })
    : t("exercises.noRun");
  return (
    // It scrolls within the playground (max-height), so it takes focus: keyboard users scroll it too.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
    <section className="exercises" aria-label={t("exercises.region")} tabIndex={0}>
      <h3>{t("exercises.title")}</h3>
      <p className="exercises-run">{run}</p>
      <ol>
        {EXERCISE_IDS.map((id) => {
          const verdict = judged?.verdicts.find((v) => v.id === id);
          const state = verdict?.verdict ?? "pending";
          return (
            <li key={id} className={`exercise exercise-${state}`} data-exercise={id}>
              <strong>{t(`exercises.${id}.title`)}</strong>{" "}
              <span className="exercise-verdict" data-verdict={state}>
                {t(`exercises.verdict.${state}`)}
              </span>
              {progress[id] !== undefined ? (
                <span className="exercise-done">{` · ${t("exercises.done", { build: progress[id] })}`}</span>
              ) : null}
              <p className="exercise-checks">{t(`exercises.${id}.checks`)}</p>
              {verdict && verdict.evidence.length > 0 ? (
                <figure className="exercise-evidence">
                  <figcaption>{t("exercises.evidence")}</figcaption>
                  <pre>{verdict.evidence.join("\n")}</pre>
                </figure>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
