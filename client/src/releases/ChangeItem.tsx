import { useTranslation } from "react-i18next";
import type { ApiChange } from "../../../shared/releases/releaseEdits.ts";

const commitUrl = (hash: string) =>
  `https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=${hash}`;

/** One change with its release, what changed, its commits (linked to git.kernel.org) and where it is declared. */
export function ChangeItem({
  change,
  commits,
  lang,
}: {
  change: ApiChange;
  commits: readonly string[];
  lang: "en" | "zh";
}) {
  const { t } = useTranslation();
  return (
    <li>
      <strong>{change.since === "0" ? t("releases.diff.labRule") : `Linux ${change.since}`}</strong>{" "}
      {change.what[lang]}{" "}
      {commits.map((h) => (
        <a key={h} href={commitUrl(h)} target="_blank" rel="noreferrer">
          <code>{h}</code>
        </a>
      ))}{" "}
      <code className="release-diff-source">{change.source}</code>
    </li>
  );
}
