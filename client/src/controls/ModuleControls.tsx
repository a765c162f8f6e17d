import { useTranslation } from "react-i18next";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { type ModuleView, stateWords } from "../connection/labView.ts";
import { useStateWording } from "./useStateWording.ts";

export type ModuleControlsProps = {
  module: ModuleName;
  view: ModuleView;
  onLoad: () => void;
  onUnload: () => void;
  /** What the engine is doing before a module can load (building, booting…), shown instead of "not loaded". */
  progress?: string;
  /** Real kernel: the other module holds the whole VM stopped before one of its calls. */
  vmPausedBy?: { module: ModuleName; line: number };
  /** What Stop does beyond rmmod here (real kernel, step mode: the exit function stops too). */
  stopNote?: string;
};

export function ModuleControls({
  module,
  view,
  onLoad,
  onUnload,
  progress,
  vmPausedBy,
  stopNote,
}: ModuleControlsProps) {
  const { t } = useTranslation();
  const wording = useStateWording();
  const name = t(`module.${module}.name`);
  const title = t(`module.${module}.title`);
  const current = view.current;
  // An insmod pressed before the engine is ready is loading with no kernel call yet: say what it waits for.
  const words = !progress
    ? stateWords(view, wording)
    : view.state === "unloaded"
      ? progress
      : view.state === "loading" && !current
        ? t("engine.progress.waits", { progress })
        : stateWords(view, wording);
  // Loading between calls (or before its first) while the other module holds the VM: nothing of
  // this module runs, its insmod included, until the other one is stepped on.
  const heldBy =
    vmPausedBy && view.state === "loading" && (!current || current.phase === "done")
      ? t("module.waitsForVm", { file: `${vmPausedBy.module}.c`, line: vmPausedBy.line })
      : undefined;
  return (
    <div className="module-controls">
      <h2>{title}</h2>
      <div className="buttons">
        <button type="button" className="primary" onClick={onLoad}>
          {t("module.start", { name })} <code>insmod {module}.ko</code>
        </button>
        <button type="button" onClick={onUnload} title={stopNote} aria-description={stopNote}>
          {t("module.stop", { name })} <code>rmmod {module}</code>
        </button>
      </div>
      <p className={`module-state state-${view.state}`} aria-live="polite">
        <span className="visually-hidden">{title}: </span>
        <span className="state-words">{heldBy ?? words}</span>
      </p>
      {current?.phase === "done" && current.result !== null && current.result < 0 ? (
        <p className="step-error" role="status">
          {t("module.stepError", { step: current.step, result: current.result, errno: current.errno })}
        </p>
      ) : null}
    </div>
  );
}
