import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PACES, type Pace } from "../lesson/pacing.ts";

export type LabToolbarProps = {
  stepMode: boolean;
  onStepMode: (enabled: boolean) => void;
  pace: Pace;
  onPace: (pace: Pace) => void;
  onShortcuts: () => void;
  /** What step mode does on the current engine, when it differs from the Node lab (the real kernel pauses its VM). */
  stepModeNote?: string;
};

/** Step mode, the display speed and the shortcuts list: how the lab is shown, not what it runs. */
export function LabToolbar({
  stepMode,
  onStepMode,
  pace,
  onPace,
  onShortcuts,
  stepModeNote,
}: LabToolbarProps) {
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
      <button type="button" aria-haspopup="dialog" onClick={onShortcuts}>
        {t("shortcuts.open")} <kbd>?</kbd>
      </button>
    </div>
  );
}
