import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PACES, type Pace } from "../lesson/pacing.ts";

export type LabToolbarProps = {
  stepMode: boolean;
  onStepMode: (enabled: boolean) => void;
  pace: Pace;
  onPace: (pace: Pace) => void;
  onShortcuts: () => void;
  /** Why step mode does not apply now (the real kernel runs straight through): the switch is then disabled and says so. */
  stepModeUnavailable?: string;
};

/** Step mode, the display speed and the shortcuts list: how the lab is shown, not what it runs. */
export function LabToolbar({
  stepMode,
  onStepMode,
  pace,
  onPace,
  onShortcuts,
  stepModeUnavailable,
}: LabToolbarProps) {
  const { t } = useTranslation();
  const noteId = useId();
  return (
    <div className="lab-toolbar">
      {/* aria-disabled, not disabled: it stays focusable, so its reason can be read. */}
      <button
        type="button"
        aria-pressed={stepModeUnavailable ? false : stepMode}
        aria-disabled={stepModeUnavailable ? true : undefined}
        aria-describedby={stepModeUnavailable ? noteId : undefined}
        title={stepModeUnavailable ? undefined : t("stepMode.hint")}
        onClick={() => {
          if (!stepModeUnavailable) onStepMode(!stepMode);
        }}
      >
        {t("stepMode.switch")}
      </button>
      {stepModeUnavailable ? (
        <span id={noteId} className="step-mode-note">
          {stepModeUnavailable}
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
