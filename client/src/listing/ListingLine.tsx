import { memo } from "react";
import type { HighlightedToken } from "../../../shared/listings/highlightedCode.ts";
import type { LineNote, LineTone } from "./Listing.tsx";

/** Bands cycle through this many step colours (styles.css .band-0 … .band-9). */
const BAND_COLOURS = 10;

type LineProps = {
  number: number;
  tokens: readonly HighlightedToken[];
  current: boolean;
  tone?: LineTone;
  printed: boolean;
  band?: number;
  linked: boolean;
  notes?: readonly LineNote[];
  mappedLabel?: string;
  selected: boolean;
  marked: boolean;
  focused?: boolean;
  onHover?: (line: number | undefined) => void;
  onSelect?: (line: number) => void;
};

/** One line; memoised so a new current step re-renders the two lines that change, not the listing. */
export const ListingLine = memo(function ListingLine(props: LineProps) {
  const {
    number,
    current,
    tone,
    printed,
    band,
    linked,
    notes,
    mappedLabel,
    selected,
    marked,
    focused,
    onHover,
    onSelect,
  } = props;
  const classes = [
    "line",
    current && "current",
    current && tone && `tone-${tone}`,
    printed && "printed",
    linked && "linked",
  ];
  if (band !== undefined) classes.push(`band band-${band % BAND_COLOURS}`);
  if (selected) classes.push("selected");
  if (marked) classes.push("marked");
  if (focused) classes.push("focused");
  return (
    <div
      className={classes.filter(Boolean).join(" ")}
      data-line={number}
      data-marked={focused ? "shown" : marked ? "lesson" : undefined}
      aria-current={current ? "step" : undefined}
    >
      {mappedLabel === undefined ? (
        <span className="ln" aria-hidden="true">
          {number}
        </span>
      ) : (
        <button
          type="button"
          className="ln ln-link"
          aria-label={mappedLabel}
          aria-pressed={selected}
          onFocus={() => onHover?.(number)}
          onBlur={() => onHover?.(undefined)}
          onClick={() => onSelect?.(number)}
        >
          {number}
        </button>
      )}
      <span className="src">
        {props.tokens.map((token, i) => (
          // Tokens of a line never reorder: their index is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <span key={i} className={token.className} style={token.style as React.CSSProperties | undefined}>
            {token.content}
          </span>
        ))}
        {props.tokens.length === 0 || (props.tokens.length === 1 && props.tokens[0]?.empty) ? "\n" : null}
      </span>
      {notes?.map((note) => (
        <span key={note.text} className={`line-note note-${note.kind}`}>
          {note.text}
        </span>
      ))}
    </div>
  );
});
