import i18next, { type BackendModule, type ReadCallback } from "i18next";
import { initReactI18next } from "react-i18next";
import type { Locale } from "./locales/locale.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";

export const LANGUAGES = ["en", "zh"] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = "kernel-socket-lab.language";
const HTML_LANG: Record<Language, string> = { en: "en", zh: "zh-Hans" };

/** Each language is a chunk of its own: a learner downloads only the language shown. */
const LOCALES: Record<Language, () => Promise<Locale>> = {
  en: () => import("./locales/en.ts").then((m) => m.EN),
  zh: () => import("./locales/zh.ts").then((m) => m.ZH),
};

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

const lazyLocales: BackendModule = {
  type: "backend",
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    if (!isLanguage(language)) return callback(new Error(`no locale ${language}`), null);
    LOCALES[language]().then(
      (locale) => callback(null, locale[namespace as keyof Locale] as never),
      (err: Error) => callback(err, null),
    );
  },
};

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The URL's ?lang= first (a shared link), then the learner's last choice, then the browser's. */
export function initialLanguage(): Language {
  const fromUrl = readUrlParam("lang");
  if (isLanguage(fromUrl)) return fromUrl;
  const remembered = stored();
  if (isLanguage(remembered)) return remembered;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The language shown, remembered, named in the URL, in <html lang> and in the tab's title. */
function reflect(language: string): void {
  if (!isLanguage(language)) return;
  document.documentElement.lang = HTML_LANG[language];
  document.title = i18next.t("app.title");
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be off (private mode): the URL still carries the choice.
  }
  writeUrlParams({ lang: language });
}

export async function initI18n(): Promise<void> {
  await i18next
    .use(lazyLocales)
    .use(initReactI18next)
    .init({
      lng: initialLanguage(),
      supportedLngs: LANGUAGES,
      // No fallback: it would download the other language too. A unit test keeps both complete.
      fallbackLng: false,
      ns: ["ui", "lesson"],
      defaultNS: "ui",
      interpolation: { escapeValue: false },
      react: { useSuspense: false },
    });
  reflect(i18next.language);
  i18next.on("languageChanged", reflect);
}

export function currentLanguage(language: string): Language {
  return isLanguage(language) ? language : "en";
}
