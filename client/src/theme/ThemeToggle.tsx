import { useTranslation } from "react-i18next";
import { useTheme } from "./theme.ts";

/** Dark theme on or off; pressed while the page is dark, whether the system or the learner chose it. */
export function ThemeToggle() {
  const { t } = useTranslation();
  const [theme, setTheme] = useTheme();
  const dark = theme === "dark";
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-pressed={dark}
      onClick={() => setTheme(dark ? "light" : "dark")}
    >
      <span aria-hidden="true">{dark ? "☾" : "☀"}</span> {t("theme.dark")}
    </button>
  );
}
