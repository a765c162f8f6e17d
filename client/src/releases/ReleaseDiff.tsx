import listings from "virtual:listings";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MODULES, type Variant } from "../../../shared/protocol/steps.ts";
import { KERNEL_SERIES, compareReleases } from "../../../shared/releases/kernelSeries.ts";
import { changesAlreadyIn, releaseDiff } from "../../../shared/releases/listingDiff.ts";
import { listingForRelease } from "../../../shared/releases/releaseEdits.ts";
import { ChangeItem } from "./ChangeItem.tsx";
import "./releases.css";

/** The side that is the listing as its author published it (before any release's edits). */
const AS_PUBLISHED = "published";

export type ReleaseDiffProps = { variant: Variant; release: string };

/** Diff of one listing between any two releases (or as published → a release), each hunk with its commits. */
export function ReleaseDiff({ variant, release }: ReleaseDiffProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === "zh" ? "zh" : "en";
  const [from, setFrom] = useState<string>(AS_PUBLISHED);
  const [to, setTo] = useState<string | undefined>(undefined);
  const target = to ?? release;
  const names = KERNEL_SERIES.map((s) => s.name);
  return (
    <details className="release-diff">
      <summary>{t("releases.diff.summary")}</summary>
      <div className="release-diff-pick">
        <label>
          {t("releases.diff.from")}{" "}
          <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="diff-from">
            <option value={AS_PUBLISHED}>
              {variant === "published" ? t("releases.diff.asPublished") : t("releases.diff.asWritten")}
            </option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("releases.diff.to")}{" "}
          <select value={target} onChange={(e) => setTo(e.target.value)} data-testid="diff-to">
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {MODULES.map((module) => {
        const text = listings[variant]?.[module]?.cText;
        if (!text) return null;
        let before: string;
        let after: string;
        try {
          // As published: the text as its author wrote it, the lab's loopback rule aside.
          before =
            from === AS_PUBLISHED
              ? listingForRelease(variant, module, text, target, false)
              : listingForRelease(variant, module, text, from);
          after = listingForRelease(variant, module, text, target);
        } catch (err) {
          return (
            <p key={module} role="alert">
              {(err as Error).message}
            </p>
          );
        }
        const hunks = releaseDiff(variant, module, before, after, from === AS_PUBLISHED ? "0" : from, target);
        // Both sides already have what came up to the older release: said, so no change goes unnamed.
        const already = from === AS_PUBLISHED ? [] : changesAlreadyIn(variant, module, from, target);
        const older = compareReleases(from, target) <= 0 ? from : target;
        return (
          <section key={module} className="release-diff-module" aria-label={`${module}.c`}>
            <h4>
              {module}.c{" "}
              {hunks.length === 0 ? (
                <span className="release-diff-same">{t("releases.diff.same")}</span>
              ) : null}
            </h4>
            {hunks.map((hunk, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: hunks have no identity beyond their order
              <div key={i} className="release-diff-hunk" data-testid="diff-hunk">
                <pre>
                  {hunk.lines.map((l) => (
                    <span key={`${l.kind}${l.oldLine ?? l.newLine}`} className={`diff-${l.kind}`}>
                      {l.kind === "removed" ? "-" : "+"}
                      {l.oldLine ?? l.newLine}: {l.text}
                      {"\n"}
                    </span>
                  ))}
                </pre>
                <ul className="release-diff-commits">
                  {hunk.links.map(({ change, commits }) => (
                    <ChangeItem key={change.since} change={change} commits={commits} lang={lang} />
                  ))}
                </ul>
              </div>
            ))}
            {already.length > 0 ? (
              <div className="release-diff-already" data-testid="diff-already">
                <p>{t("releases.diff.already", { from: older })}</p>
                <ul className="release-diff-commits">
                  {already.map((change) => (
                    <ChangeItem key={change.since} change={change} commits={change.commits} lang={lang} />
                  ))}
                </ul>
              </div>
            ) : null}
          </section>
        );
      })}
    </details>
  );
}
