import type { LocatedBug } from "../../shared/listingBugs.ts";

export type ListingBugsProps = { file: string; bugs: readonly LocatedBug[] };

/** The bugs marked in a listing, as a list with their line numbers: the notes' text in reading order. */
export function ListingBugs({ file, bugs }: ListingBugsProps) {
  if (bugs.length === 0) return null;
  return (
    <details className="listing-bugs">
      <summary>
        {bugs.length} bugs in {file} as published
      </summary>
      <ol aria-label={`Bugs in ${file}`}>
        {bugs.map(({ line, bug }) => (
          <li key={bug.id}>
            <strong>Line {line}:</strong> {bug.title}. <span className="bug-detail">{bug.detail}</span>{" "}
            <span className="bug-sources">
              Source:{" "}
              {bug.sources.map((source, i) => (
                <span key={source.url}>
                  {i > 0 ? "; " : ""}
                  <a href={source.url} target="_blank" rel="noreferrer">
                    {source.label}
                  </a>
                </span>
              ))}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
