import { useTranslation } from "react-i18next";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { stateWords } from "../connection/labView.ts";
import { useStateWording } from "../controls/useStateWording.ts";

/** A done task: a check mark and what really happened, from the events that did it. */
export function LessonOutcome({ events }: { events: readonly LabEvent[] }) {
  const { t } = useTranslation();
  const wording = useStateWording();
  const say = (event: LabEvent): string => {
    switch (event.type) {
      case "step": {
        const at = { module: t(`module.${event.module}.name`), step: event.step };
        if (event.phase === "enter") return t("lesson.outcome.entered", at);
        if (event.result === null) return t("lesson.outcome.returnedVoid", at);
        return event.errno
          ? t("lesson.outcome.failed", { ...at, result: event.result, errno: event.errno })
          : t("lesson.outcome.returned", { ...at, result: event.result });
      }
      case "step.waiting":
        return t("lesson.outcome.paused", { module: t(`module.${event.module}.name`), step: event.step });
      case "module.state": {
        const state = stateWords({ state: event.state, initResult: event.initResult }, wording);
        return event.state === "live" && event.initResult !== undefined
          ? t("lesson.outcome.loadedWith", {
              module: t(`module.${event.module}.name`),
              state,
              result: event.initResult,
            })
          : t("lesson.outcome.state", { module: t(`module.${event.module}.name`), state });
      }
      case "console":
        return event.text;
      default:
        return "";
    }
  };
  return (
    <p className="lesson-task-state lesson-outcome" role="status">
      <span aria-hidden="true">✓ </span>
      {t("lesson.doneWaiting")}{" "}
      {events.map((event, i) => (
        <span
          key={"seq" in event ? event.seq : i}
          className="lesson-outcome-item"
          lang={event.type === "console" ? "en" : undefined}
        >
          {i > 0 ? "; " : ""}
          <q>{say(event)}</q>
        </span>
      ))}
    </p>
  );
}
