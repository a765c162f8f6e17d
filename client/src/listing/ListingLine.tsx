import { memo } from "react";
import type { HighlightedToken } from "../../../shared/listings/highlightedCode.ts";
import { useDisplay } from "../clock/displayClock.ts";
import { type LitSource, litToneOf, printedLineOf } from "./litLine.ts";
import type { LineNote } from "./Listing.tsx";

/** Bands cycle through this many step colours (styles.css .band-0 … .band-9). */
const BAND_COLOURS = 10;

type LineProps = {
  number: number;
  tokens: readonly HighlightedToken[];
  /** The listing the line is drawn in: the line reads from the display clock whether it is lit. */
  lit: LitSource;
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

/**
 * One line. It reads whether it is lit (the call's line, its tone, the last printk's line) from the
 * display clock itself, so a step event reaches it without being handed down, and redraws the lines
 * it lights or unlights, not the listing; memoised, the listing's own redraws pass it by.
 */
export const ListingLine = memo(function ListingLine(props: LineProps) {
  const { number, lit, band, linked, notes, mappedLabel, selected, marked, focused, onHover, onSelect } =
    props;
  const tone = useDisplay((state) => litToneOf(state, lit, number));
  const current = tone !== undefined;
  const printed = useDisplay((state) => printedLineOf(state, lit) === number);
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
