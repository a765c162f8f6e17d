import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { labI18n } from "./i18n.ts";

/**
 * What a reader reads of a component rendered in one of the interface's languages: its markup's
 * text, the tags as spaces, the quotes' entities as the characters and white space folded.
 */
export function renderedText(language: "en" | "zh", element: ReactElement): string {
  return renderToStaticMarkup(<I18nextProvider i18n={labI18n(language)}>{element}</I18nextProvider>)
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}
