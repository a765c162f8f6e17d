import type { Source } from "../../../shared/content/bilingual.ts";

/** Where a fact was checked: each source by its label, linked. */
export function SourceLinks({ sources }: { sources: readonly Source[] }) {
  return (
    <ul className="source-list">
      {sources.map((source) => (
        <li key={source.url + source.label}>
          <a href={source.url} target="_blank" rel="noreferrer">
            {source.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The same, inline in a sentence: each source by its label, linked, separated by semicolons. */
export function InlineSourceLinks({ sources }: { sources: readonly Source[] }) {
  return sources.map((source, i) => (
    <span key={source.url + source.label}>
      {i > 0 ? "; " : ""}
      <a href={source.url} target="_blank" rel="noreferrer">
        {source.label}
      </a>
    </span>
  ));
}
