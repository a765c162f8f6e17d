import { useTranslation } from "react-i18next";
import "./labControls.css";

export type ResetLabButtonProps = {
  onReset: () => void;
  /** What Reset does beyond unloading here (real kernel, step mode: the exit functions do not stop). */
  note?: string;
};

/**
 * "Reset the lab": the session's lab back to its start, for real (the server unloads what rmmod
 * can and restarts a lab the kernel would not let go of, saying so in the printk pane).
 */
export function ResetLabButton({ onReset, note }: ResetLabButtonProps) {
  const { t } = useTranslation();
  const hint = note ? `${t("labControls.resetHint")}. ${note}` : t("labControls.resetHint");
  return (
    <button type="button" className="reset-lab" title={hint} aria-description={note} onClick={onReset}>
      {t("labControls.reset")}
    </button>
  );
}
