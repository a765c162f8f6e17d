import { memo } from "react";
import { useTranslation } from "react-i18next";
import type { LocatedBug } from "../../../shared/content/listingBugs.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { InlineSourceLinks } from "../lesson/SourceLinks.tsx";

export type ListingBugsProps = { file: string; bugs: readonly LocatedBug[] };

/** The bugs marked in a listing, as a list with their line numbers: the notes' text in reading order. */
export const ListingBugs = memo(function ListingBugs({ file, bugs }: ListingBugsProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  if (bugs.length === 0) return null;
  return (
    <details className="listing-bugs">
      <summary>{t("bugs.summary", { n: bugs.length, file })}</summary>
      <ol aria-label={t("bugs.list", { file })}>
        {bugs.map(({ line, bug }) => (
          <li key={bug.id}>
            <strong>{t("bugs.line", { line })}</strong> {t("bugs.title", { title: bug.title[language] })}{" "}
            <span className="bug-detail">{bug.detail[language]}</span>{" "}
            <span className="bug-sources">
              {t("bugs.source")} <InlineSourceLinks sources={bug.sources} />
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
});
