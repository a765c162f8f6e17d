import { useTranslation } from "react-i18next";
import "./labControls.css";

export type ResetLabButtonProps = { onReset: () => void };

/**
 * "Reset the lab": the session's lab back to its start, for real (the server unloads what rmmod
 * can and restarts a lab the kernel would not let go of, saying so in the printk pane).
 */
export function ResetLabButton({ onReset }: ResetLabButtonProps) {
  const { t } = useTranslation();
  return (
    <button type="button" className="reset-lab" title={t("labControls.resetHint")} onClick={onReset}>
      {t("labControls.reset")}
    </button>
  );
}
