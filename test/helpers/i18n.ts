import i18next, { type i18n } from "i18next";
import { UI_EN } from "../../client/src/i18n/locales/en.ts";
import { UI_ZH } from "../../client/src/i18n/locales/zh.ts";

/**
 * An i18next instance speaking one of the interface's languages, ready at once (resources inline),
 * configured as client/src/i18n/i18n.ts configures the app's: for rendering components and the
 * functions that take a `t` outside the browser.
 */
export function labI18n(language: "en" | "zh"): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    resources: { en: { ui: UI_EN }, zh: { ui: UI_ZH } },
    fallbackLng: false,
    ns: ["ui"],
    defaultNS: "ui",
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
