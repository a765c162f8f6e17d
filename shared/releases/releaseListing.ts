import type { ModuleName, Variant } from "../protocol/steps.ts";
import { type ApiChange, API_CHANGES, editApplies, LAB_RULE, listingForRelease } from "./releaseEdits.ts";

/**
 * What the listing pane shows for a release, and what it says about the lines the release builds
 * differently. The fixed listing is shown as built for the release (its text is 6.1's; 5.8's
 * kernel_setsockopt, 6.19's sockaddr_unsized… are that release's own lines). The published listing
 * is shown as its author published it on every release — the lesson, its bugs and their notes are
 * about that text — and each line the release builds differently carries a note with the text
 * built and the change (release, commits) that asks for it. Every edit is within one line, so a
 * release's listing has the same lines as the bundled one and the step ↔ line map holds
 * (test/releaseListing.test.ts).
 */
export function shownListingText(
  variant: Variant,
  module: ModuleName,
  text: string,
  series: string,
  edits: boolean,
): string {
  return variant === "published" ? text : listingForRelease(variant, module, text, series, edits);
}

/** A line the release builds otherwise than it is shown: the text built, and why (each change with its edit's commits). */
export type BuiltLine = {
  line: number;
  built: string;
  changes: ApiChange[];
  /** `before`: the line is the older API, for a release before the change (the fixed listing's 5.8 line on 4.16). */
  links: { change: ApiChange; commits: readonly string[]; before: boolean }[];
};

/**
 * The lines of the shown listing whose built text differs (the published listing's) or that a
 * release's edit wrote (the fixed listing's), with the changes behind them; the lab's loopback rule
 * has its own note and is left out.
 */
export function releaseLineChanges(
  variant: Variant,
  module: ModuleName,
  text: string,
  series: string,
  edits: boolean,
): BuiltLine[] {
  if (!edits) return [];
  const built = listingForRelease(variant, module, text, series, edits).split("\n");
  const applied = API_CHANGES.filter((c) => c.since !== LAB_RULE).flatMap((change) =>
    change.edits
      .filter((e) => e.variant === variant && e.module === module && editApplies(change, e, series))
      .map((edit) => ({ change, edit })),
  );
  const out: BuiltLine[] = [];
  built.forEach((line, index) => {
    const matched = applied.filter(({ edit }) => line.includes(edit.to));
    // A line a later edit wrote over again (the accept call: 4.11, then 6.10) names each change.
    for (let grew = true; grew; ) {
      const more = applied.filter(
        (a) => !matched.includes(a) && matched.some(({ edit }) => edit.from.startsWith(a.edit.to)),
      );
      matched.push(...more);
      grew = more.length > 0;
    }
    if (matched.length === 0) return;
    const changes = API_CHANGES.filter((c) => matched.some(({ change }) => change === c));
    const links = changes.map((change) => ({
      change,
      before: matched.some((m) => m.change === change && m.edit.applies === "before"),
      commits: [
        ...new Set(
          matched.filter((m) => m.change === change).flatMap(({ edit }) => edit.commits ?? change.commits),
        ),
      ],
    }));
    out.push({ line: index + 1, built: line.trim(), changes, links });
  });
  return out;
}
