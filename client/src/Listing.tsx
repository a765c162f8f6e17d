import { Highlight, type Token, themes } from "prism-react-renderer";
import { memo, useEffect, useRef } from "react";

export type LineTone = "ok" | "error" | "waiting" | "running";

export type LineNote = { text: string; kind: "bug" | "note" };

export type ListingProps = {
  /** The region's accessible name: the file name (server.c, serverModule.ts). */
  label: string;
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
  notes?: Readonly<Record<number, LineNote>>;
  onLineHover?: (line: number | undefined) => void;
};

type LineProps = {
  number: number;
  tokens: Token[];
  current: boolean;
  tone?: LineTone;
  printed: boolean;
  band?: number;
  linked: boolean;
  note?: LineNote;
  getTokenProps: (input: { token: Token }) => { className: string; style?: React.CSSProperties; children: string };
  onHover?: (line: number | undefined) => void;
};

/** One line; memoised so a new current step re-renders the two lines that change, not the listing. */
const ListingLine = memo(function ListingLine(props: LineProps) {
  const { number, current, tone, printed, band, linked, note, onHover } = props;
  const classes = ["line", current && "current", current && tone && `tone-${tone}`, printed && "printed", linked && "linked"];
  if (band !== undefined) classes.push(`band band-${band % 8}`);
  const interactive = band !== undefined && onHover !== undefined;
  return (
    // A mapped line takes focus so keyboard users can light its partner, as hover does; it is not a control.
    // biome-ignore lint/a11y/noStaticElementInteractions: see above
    <div
      className={classes.filter(Boolean).join(" ")}
      data-line={number}
      aria-current={current ? "step" : undefined}
      tabIndex={interactive ? 0 : undefined}
      onMouseEnter={interactive ? () => onHover(number) : undefined}
      onMouseLeave={interactive ? () => onHover(undefined) : undefined}
      onFocus={interactive ? () => onHover(number) : undefined}
      onBlur={interactive ? () => onHover(undefined) : undefined}
    >
      <span className="ln" aria-hidden="true">
        {number}
      </span>
      <span className="src">
        {props.tokens.map((token, i) => {
          const tokenProps = props.getTokenProps({ token });
          // Tokens of a line never reorder: their index is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          return <span key={i} {...tokenProps} />;
        })}
        {props.tokens.length === 0 || (props.tokens.length === 1 && props.tokens[0]?.empty) ? "\n" : null}
      </span>
      {note ? <span className={`line-note note-${note.kind}`}>{note.text}</span> : null}
    </div>
  );
});

export function Listing(props: ListingProps) {
  const { label, code, language, currentLine, tone, printedLine, bands, linked, notes, onLineHover } = props;
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (currentLine === undefined) return;
    const line = scroller.current?.querySelector<HTMLElement>(`[data-line="${currentLine}"]`);
    line?.scrollIntoView?.({ block: "nearest" });
  }, [currentLine]);

  return (
    <section className="listing" aria-label={label}>
      <h3 className="listing-title">{label}</h3>
      <div className="listing-scroll" ref={scroller}>
        <Highlight theme={themes.oneLight} code={code.replace(/\n$/, "")} language={language}>
          {({ tokens, getTokenProps }) => (
            <pre className="code">
              {tokens.map((lineTokens, index) => {
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
                    note={notes?.[number]}
                    getTokenProps={getTokenProps}
                    onHover={onLineHover}
                  />
                );
              })}
            </pre>
          )}
        </Highlight>
      </div>
    </section>
  );
}
