import { useTranslation } from "react-i18next";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { LabToolbar } from "../controls/LabToolbar.tsx";
import { LanguageSwitch } from "../controls/LanguageSwitch.tsx";
import type { Pace } from "../lesson/pacing.ts";
import { ThemeToggle } from "../theme/ThemeToggle.tsx";

export type LabHeaderProps = {
  snapshot: Pick<LabSnapshot, "status" | "hello" | "stepMode">;
  pace: Pace;
  onPace: (pace: Pace) => void;
  onStepMode: (enabled: boolean) => void;
  onShortcuts: () => void;
  stepModeUnavailable?: string;
};

/** The title, the connection and the lab's port, how the lab is shown, the theme and the language. */
export function LabHeader({
  snapshot,
  pace,
  onPace,
  onStepMode,
  onShortcuts,
  stepModeUnavailable,
}: LabHeaderProps) {
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
      <LabToolbar
        stepMode={snapshot.stepMode}
        onStepMode={onStepMode}
        pace={pace}
        onPace={onPace}
        onShortcuts={onShortcuts}
        stepModeUnavailable={stepModeUnavailable}
      />
      <ThemeToggle />
      <LanguageSwitch />
    </header>
  );
}
