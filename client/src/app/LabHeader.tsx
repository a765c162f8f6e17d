import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LabSnapshot } from "../connection/labConnection.ts";
import { LanguageSwitch } from "../controls/LanguageSwitch.tsx";
import { ThemeToggle } from "../theme/ThemeToggle.tsx";
import { OverflowMenu } from "./OverflowMenu.tsx";
import { useMediaQuery } from "./useMediaQuery.ts";
import "./oneRowHeader.css";

export type LabHeaderProps = {
  snapshot: Pick<LabSnapshot, "status" | "hello">;
  onShortcuts: () => void;
  /** Export run and Open run, when the header holds them (a wide screen; a phone has them in its setup view). */
  runFile?: ReactNode;
};

/** Wide enough for the run file and the shortcuts beside the title and the port, in one row. */
export const ROOMY_HEADER = "(min-width: 1280px)";
/** Wide enough for the theme and the language beside the title (a phone's header keeps two short rows). */
export const HEADER_TOOLS = "(min-width: 1024px)";

/**
 * The title, the connection and the lab's port, the run file, the shortcuts, the theme and the
 * language: one row on a screen 1024 px wide or more, the tools that do not fit in a More menu.
 */
export function LabHeader({ snapshot, onShortcuts, runFile }: LabHeaderProps) {
  const { t } = useTranslation();
  const roomy = useMediaQuery(ROOMY_HEADER);
  const toolsFit = useMediaQuery(HEADER_TOOLS);
  const { hello } = snapshot;
  const shortcuts = (
    <button type="button" aria-haspopup="dialog" onClick={onShortcuts}>
      {t("shortcuts.open")} <kbd>?</kbd>
    </button>
  );
  const looks = (
    <>
      <ThemeToggle />
      <LanguageSwitch />
    </>
  );
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
        {roomy ? (
          <>
            {runFile}
            {shortcuts}
          </>
        ) : null}
        {toolsFit ? looks : null}
        {roomy ? null : (
          <OverflowMenu label={t("header.more")}>
            {runFile}
            {shortcuts}
            {toolsFit ? null : looks}
          </OverflowMenu>
        )}
      </div>
    </header>
  );
}
