import { useTranslation } from "react-i18next";
import { currentLanguage, LANGUAGES } from "../i18n/i18n.ts";

/** English / 中文: each name is written in its own language, so it reads right from either side. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const shown = currentLanguage(i18n.language);
  return (
    <fieldset className="language-switch">
      <legend className="visually-hidden">{t("language.label")}</legend>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language === "zh" ? "zh-Hans" : "en"}
          aria-pressed={language === shown}
          onClick={() => void i18n.changeLanguage(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </fieldset>
  );
}
