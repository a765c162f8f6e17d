import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { LanguageSwitch } from "../controls/LanguageSwitch.tsx";
import { ThemeToggle } from "../theme/ThemeToggle.tsx";

export type LabHeaderProps = {
  snapshot: Pick<LabSnapshot, "status" | "hello">;
  onShortcuts: () => void;
  /** Export run and Open run, when the header has room for them (a wide screen). */
  runFile?: ReactNode;
};

/** The title, the connection and the lab's port, the run file, the shortcuts, the theme and the language. */
export function LabHeader({ snapshot, onShortcuts, runFile }: LabHeaderProps) {
  const { t } = useTranslation();
  const { hello } = snapshot;
  return (
    <header className="app-header">
      <h1>{t("app.title")}</h1>
      <p className="status" aria-live="polite">
        {snapshot.status === "open"
          ? t("app.connected")
          : snapshot.status === "connecting"
            ? t("app.connecting")
            : t("app.closed")}
        {hello ? t("app.port", { port: hello.labPort }) : ""}
        {hello && hello.labPort !== hello.preferredPort && hello.preferredPort !== 0
          ? t("app.portTaken", { port: hello.preferredPort === 0x8888 ? "0x8888" : hello.preferredPort })
          : ""}
      </p>
      <div className="header-tools">
        {runFile}
        <button type="button" aria-haspopup="dialog" onClick={onShortcuts}>
          {t("shortcuts.open")} <kbd>?</kbd>
        </button>
        <ThemeToggle />
        <LanguageSwitch />
      </div>
    </header>
  );
}
