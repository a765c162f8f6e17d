import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LESSON } from "../../../shared/content/lesson/lessonSteps.ts";
import type { LessonText } from "../../../shared/content/lesson/lessonText.ts";
import { inlineText, LessonProse } from "./LessonProse.tsx";
import { LessonOutcome } from "./LessonOutcome.tsx";
import { LessonSources } from "./LessonSources.tsx";
import { ResetLabButton } from "../controls/ResetLabButton.tsx";
import { needsWords } from "./needsWords.ts";
import { SymbolTable } from "./SymbolTable.tsx";
import type { LessonState } from "./useLesson.ts";

export type LessonPanelProps = {
  lesson: LessonState;
  port: number | undefined;
  onReset: () => void;
  /** Shown under the task (e.g. the prediction prompt of step mode). */
  children?: ReactNode;
};

/** The lesson: the step's text, what to do now, the lines it marks (in the listings) and its sources. */
export function LessonPanel({ lesson, port, onReset, children }: LessonPanelProps) {
  const { t, i18n } = useTranslation();
  const texts = i18n.getResourceBundle(i18n.language, "lesson") as LessonText | undefined;
  const { step, index } = lesson;
  const text = texts?.[step.id];
  if (!texts || !text) return null;
  const last = index === LESSON.length - 1;
  const needs = lesson.unmet ? needsWords(t, lesson.unmet, port) : undefined;
  return (
    <section className="lesson" aria-label={t("lesson.region")}>
      <div className="lesson-head">
        <p className="lesson-progress">{t("lesson.progress", { n: index + 1, total: LESSON.length })}</p>
        <nav className="lesson-nav" aria-label={t("lesson.nav")}>
          <button type="button" aria-disabled={index === 0} onClick={lesson.back}>
            ← {t("lesson.back")}
          </button>
          <button type="button" className="primary" aria-disabled={last} onClick={lesson.next}>
            {t("lesson.next")} →
          </button>
        </nav>
      </div>
      <h2 className="lesson-title" aria-live="polite">
        {text.title}
      </h2>
      {text.task ? (
        <div className={`lesson-task${lesson.done ? " done" : ""}`}>
          <p>
            <strong>{t("lesson.yourTurn")}: </strong>
            {inlineText(text.task, port)}
          </p>
          {needs ? (
            <div className="lesson-needs" role="status">
              {needs.reset ? (
                <>
                  <p>{needs.reset}</p>
                  <ResetLabButton onReset={onReset} />
                </>
              ) : null}
              {needs.press ? <p className="lesson-needs-press">{needs.press}</p> : null}
            </div>
          ) : null}
          {step.doneWhen || step.doneWhenViewed ? (
            lesson.done ? (
              <LessonOutcome events={lesson.outcome} />
            ) : (
              <p className="lesson-task-state">{t("lesson.waiting")}</p>
            )
          ) : null}
        </div>
      ) : null}
      {children}
      <LessonProse body={text.body} port={port} />
      {step.symbolTable ? <SymbolTable /> : null}
      <LessonSources step={step} />
      <details className="lesson-steps">
        <summary>{t("lesson.allSteps")}</summary>
        <ol>
          {LESSON.map((other, i) => (
            <li key={other.id}>
              <a
                href={`?step=${other.id}&lang=${i18n.language}`}
                aria-current={i === index ? "true" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  lesson.goTo(i);
                }}
              >
                {texts[other.id].title}
              </a>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
