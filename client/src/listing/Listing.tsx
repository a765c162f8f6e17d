import listings from "virtual:listings";
import {
  codeLines,
  decodeHighlight,
  type EncodedHighlight,
  type HighlightedToken,
} from "../../../shared/listings/highlightedCode.ts";
import { memo, useEffect, useRef } from "react";

/** Bands cycle through this many step colours (styles.css .band-0 … .band-9). */
const BAND_COLOURS = 10;

export type LineTone = "ok" | "error" | "waiting" | "running";

export type LineNote = { text: string; kind: "bug" | "note" };

export type ListingProps = {
  /** The region's accessible name: the file name (server.c, serverModule.ts). */
  label: string;
  /** The heading shown over the code, when it says more than the label (the file's path). */
  title?: string;
  code: string;
  language: "c" | "typescript";
  /** 1-based line of the current step, marked aria-current="step". */
  currentLine?: number;
  tone?: LineTone;
  /** 1-based line whose printk printed last. */
  printedLine?: number;
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
const ListingLine = memo(function ListingLine(props: LineProps) {
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

export function Listing(props: ListingProps) {
  const {
    label,
    code,
    currentLine,
    tone,
    printedLine,
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
  const scroller = useRef<HTMLDivElement>(null);
  // Where the listings stack in a scrolling pane (a phone), the C line decides where that pane scrolls.
  const leads = props.language === "c";

  // In the next frame, when layout is clean: measuring now would force a layout of the whole page
  // into the render of every step. A line already in view (most steps) is left alone either way.
  useEffect(() => {
    const frame = requestAnimationFrame(() => revealLine(scroller.current, currentLine, leads));
    return () => cancelAnimationFrame(frame);
  }, [currentLine, leads]);
  // A pane resized (a split dragged, the dock grown, the window turned) keeps the current line in view.
  useEffect(() => {
    const element = scroller.current;
    if (!element || currentLine === undefined) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => revealLine(element, currentLine, leads));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [currentLine, leads]);
  usePointedLine(scroller, mapped, onLineHover);
  // The partner of a hovered line may be off screen in this listing: bring it into view, as Compiler Explorer does.
  const firstLinked = linked && linked.size > 0 ? Math.min(...linked) : undefined;
  useEffect(() => revealLine(scroller.current, firstLinked), [firstLinked]);
  // A new lesson step brings the first line it talks about into view.
  const firstMarked = marked && marked.size > 0 ? Math.min(...marked) : undefined;
  // The current line comes first: a lesson's lines are brought into view only while no call is lit.
  const hasCurrent = currentLine !== undefined;
  useEffect(() => {
    if (!hasCurrent) revealLine(scroller.current, firstMarked);
  }, [firstMarked, hasCurrent]);
  // Asked for from outside the listing (an oops' function): brought into view like the current line.
  useEffect(() => {
    if (focus) revealLine(scroller.current, focus.line, true);
  }, [focus]);
  // …and kept in view when the pane is resized (the window, a split), as the current line is.
  useEffect(() => {
    const element = scroller.current;
    if (!element || !focus) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => revealLine(element, focus.line));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [focus]);

  return (
    <section className="listing" aria-label={label}>
      <h3 className="listing-title">{props.title ?? label}</h3>
      <div className="listing-scroll" ref={scroller}>
        <pre className="code">
          {highlightedLines(code).map((lineTokens, index) => {
            const number = index + 1;
            return (
              <ListingLine
                key={number}
                number={number}
                tokens={lineTokens}
                current={number === currentLine}
                tone={number === currentLine ? tone : undefined}
                printed={number === printedLine}
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

/** Each listing text's tokens, decoded once from the build's highlighting (virtual:listings). */
const highlighted = new Map<string, readonly HighlightedToken[][]>();

function highlightedLines(code: string): readonly HighlightedToken[][] {
  let lines = highlighted.get(code);
  if (!lines) {
    const encoded = encodedFor(code);
    // A text the build did not highlight is shown plain, one token a line.
    lines = encoded
      ? decodeHighlight(code, encoded)
      : codeLines(code).map((text) => [{ className: "token plain", content: text }]);
    highlighted.set(code, lines);
  }
  return lines;
}

function encodedFor(code: string): EncodedHighlight | undefined {
  for (const pair of Object.values(listings)) {
    for (const listing of Object.values(pair ?? {})) {
      if (listing.cText === code) return listing.highlight.c;
      if (listing.tsText === code) return listing.highlight.ts;
    }
  }
  return undefined;
}

/**
 * Brings a line fully into view by scrolling the listing's own box and, when `outer`, any pane
 * around it that scrolls (the narrow layout's code view); never the page: nothing else moves.
 */
function revealLine(container: HTMLElement | null, line: number | undefined, outer = false): void {
  if (!container || line === undefined) return;
  const element = container.querySelector<HTMLElement>(`[data-line="${line}"]`);
  if (!element) return;
  const last = outer ? document.body : container.parentElement;
  for (let box: HTMLElement | null = container; box && box !== last; box = box.parentElement) {
    if (box !== container && !scrollsVertically(box)) continue;
    // Measured on screen: offsetTop depends on which ancestor is positioned, the box's edges do not.
    const edges = box.getBoundingClientRect();
    const lineBox = element.getBoundingClientRect();
    // Out of view, the line comes to a third of the way down: the lines that follow it show too.
    if (lineBox.top >= edges.top && lineBox.bottom <= edges.bottom) continue;
    const third = Math.max(0, (edges.height - lineBox.height) / 3);
    box.scrollTop += lineBox.top - edges.top - third;
  }
}

function scrollsVertically(element: HTMLElement): boolean {
  if (element.scrollHeight <= element.clientHeight) return false;
  const overflow = getComputedStyle(element).overflowY;
  return overflow === "auto" || overflow === "scroll";
}

/**
 * Hovering a mapped line reports it, through one delegated listener rather than one per line.
 * Hover is the pointer's shortcut; keyboard users reach the same through each line's gutter button.
 */
function usePointedLine(
  scroller: React.RefObject<HTMLDivElement | null>,
  mapped: Readonly<Record<number, string>> | undefined,
  onLineHover: ((line: number | undefined) => void) | undefined,
): void {
  useEffect(() => {
    const container = scroller.current;
    if (!container || !mapped || !onLineHover) return;
    let pointed: number | undefined;
    const point = (line: number | undefined) => {
      if (line === pointed) return;
      pointed = line;
      onLineHover(line);
    };
    const onOver = (event: MouseEvent) => {
      const row = (event.target as Element | null)?.closest?.("[data-line]");
      const line = row ? Number(row.getAttribute("data-line")) : undefined;
      point(line !== undefined && mapped[line] !== undefined ? line : undefined);
    };
    const onLeave = () => point(undefined);
    container.addEventListener("mouseover", onOver);
    container.addEventListener("mouseleave", onLeave);
    return () => {
      container.removeEventListener("mouseover", onOver);
      container.removeEventListener("mouseleave", onLeave);
    };
  }, [scroller, mapped, onLineHover]);
}
