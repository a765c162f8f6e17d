import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PACES, type Pace } from "../lesson/pacing.ts";

export type LabToolbarProps = {
  stepMode: boolean;
  onStepMode: (enabled: boolean) => void;
  pace: Pace;
  onPace: (pace: Pace) => void;
  /** What step mode does on the current engine, when it differs from the Node lab (the real kernel pauses its VM). */
  stepModeNote?: string;
};

/** Step mode and the display speed: how the lab is shown, not what it runs (beside the transport). */
export function LabToolbar({ stepMode, onStepMode, pace, onPace, stepModeNote }: LabToolbarProps) {
  const { t } = useTranslation();
  const noteId = useId();
  return (
    <div className="lab-toolbar">
      <button
        type="button"
        aria-pressed={stepMode}
        aria-describedby={stepModeNote ? noteId : undefined}
        title={t("stepMode.hint")}
        onClick={() => onStepMode(!stepMode)}
      >
        {t("stepMode.switch")}
      </button>
      {stepModeNote ? (
        <span id={noteId} className="step-mode-note">
          {stepModeNote}
        </span>
      ) : null}
      <label className="pace">
        {t("pace.label")}
        <select value={pace} onChange={(event) => onPace(event.target.value as Pace)}>
          {(Object.keys(PACES) as Pace[]).map((name) => (
            <option key={name} value={name}>
              {t(`pace.${name}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
