import { useTranslation } from "react-i18next";

export type BootLogToggleProps = { records: number; shown: boolean; onToggle: () => void };

/**
 * Unfolds a real kernel's boot log in the printk pane. Folded by default: hundreds of records are
 * real dmesg, but they would push the modules' own lines out of sight.
 */
export function BootLogToggle({ records, shown, onToggle }: BootLogToggleProps) {
  const { t } = useTranslation();
  return (
    <button type="button" className="boot-log-toggle" aria-pressed={shown} onClick={onToggle}>
      {t("engine.boot.toggle", { count: records })}
    </button>
  );
}
