import { useRef } from "react";
import type { EncodedHighlight } from "../../../shared/listings/highlightedCode.ts";
import { useDisplay } from "../clock/displayClock.ts";
import { highlightedLines } from "./highlightedLines.ts";
import { type LitSource, litLineOf } from "./litLine.ts";
import { ListingLine } from "./ListingLine.tsx";
import { usePointedLine } from "./usePointedLine.ts";
import { useRevealLine } from "./useRevealLine.ts";

export type LineNote = { text: string; kind: "bug" | "note" };

export type ListingProps = {
  /** The region's accessible name: the file name (server.c, serverModule.ts). */
  label: string;
  /** The heading shown over the code, when it says more than the label (the file's path). */
  title?: string;
  code: string;
  /** The build's highlighting of `code` (virtual:listings); without it the text is shown plain. */
  highlight?: EncodedHighlight;
  language: "c" | "typescript";
  /**
   * Which listing this is, one object while it shows the same one: each line reads from the display
   * clock whether it is lit (aria-current="step"), so a step event is not handed down to it.
   */
  lit: LitSource;
  /** Lines to band with a step's colour: line → band index. */
  bands?: Readonly<Record<number, number>>;
  /** Lines lit because their partner in the other listing is hovered or focused. */
  linked?: ReadonlySet<number>;
  notes?: Readonly<Record<number, readonly LineNote[]>>;
  /**
   * Mapped lines: line → the accessible name of its gutter button. Focusing the button lights the
   * partner line as hovering does; pressing it pins the line's step (aria-pressed).
   */
  mapped?: Readonly<Record<number, string>>;
  selectedLine?: number;
  /** Lines the lesson step talks about. */
  marked?: ReadonlySet<number>;
  /**
   * A line asked for from elsewhere (a function an oops names): marked and brought into view. A new
   * object each time it is asked, so asking again brings it back.
   */
  focus?: { line: number };
  onLineHover?: (line: number | undefined) => void;
  onLineSelect?: (line: number) => void;
};

export function Listing(props: ListingProps) {
  const {
    label,
    code,
    bands,
    linked,
    notes,
    mapped,
    selectedLine,
    marked,
    focus,
    onLineHover,
    onLineSelect,
  } = props;
  // The lines light themselves; the listing reads the lit line only to keep it in view.
  const currentLine = useDisplay((state) => litLineOf(state, props.lit));
  const scroller = useRef<HTMLDivElement>(null);
  // Where the listings stack in a scrolling pane (a phone), the C line decides where that pane scrolls.
  useRevealLine(scroller, { currentLine, leads: props.language === "c", linked, marked, focus });
  usePointedLine(scroller, mapped, onLineHover);

  return (
    <section className="listing" aria-label={label}>
      <h3 className="listing-title">{props.title ?? label}</h3>
      <div className="listing-scroll" ref={scroller}>
        <pre className="code">
          {highlightedLines(code, props.highlight).map((lineTokens, index) => {
            const number = index + 1;
            return (
              <ListingLine
                key={number}
                number={number}
                tokens={lineTokens}
                lit={props.lit}
                band={bands?.[number]}
                linked={linked?.has(number) ?? false}
                notes={notes?.[number]}
                mappedLabel={mapped?.[number]}
                selected={number === selectedLine}
                marked={marked?.has(number) ?? false}
                focused={number === focus?.line}
                onHover={onLineHover}
                onSelect={onLineSelect}
              />
            );
          })}
        </pre>
      </div>
    </section>
  );
}
