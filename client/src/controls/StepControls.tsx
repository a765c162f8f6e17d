import { useTranslation } from "react-i18next";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import type { ModuleView } from "../connection/labView.ts";

export type StepControlsProps = {
  module: ModuleName;
  view: ModuleView;
  onStep: () => void;
  onContinue: () => void;
  /** Real kernel: the other module holds the whole VM stopped before one of its calls. */
  vmPausedBy?: { module: ModuleName; line: number };
};

/**
 * Step mode's buttons for one module. They stay focusable (aria-disabled, not disabled) so a
 * keyboard user pressing Step again and again keeps focus while the call runs.
 */
export function StepControls({ module, view, onStep, onContinue, vmPausedBy }: StepControlsProps) {
  const { t } = useTranslation();
  const name = t(`module.${module}.name`);
  // A module's thread may wait after its init returned (the fixed server's accept loop).
  const waiting = view.current?.phase === "waiting";
  const running = view.state === "loading" || waiting;
  const current = view.current;
  return (
    <div className="step-controls">
      <button type="button" aria-disabled={!waiting} onClick={() => waiting && onStep()}>
        {t("stepMode.step", { name })}
      </button>
      <button type="button" aria-disabled={!running} onClick={() => running && onContinue()}>
        {t("stepMode.continue", { name })}
      </button>
      <span className="step-where">
        {waiting && current
          ? t("stepMode.next", { step: current.step, line: current.cLine })
          : vmPausedBy
            ? t("stepMode.vmPaused", {
                file: `${vmPausedBy.module}.c`,
                line: vmPausedBy.line,
                other: t(`module.${vmPausedBy.module}.name`),
              })
            : running
              ? ""
              : t("stepMode.idle")}
      </span>
    </div>
  );
}
