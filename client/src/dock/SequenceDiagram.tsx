/**
 * Why one file over 120 lines: the diagram (SequenceDiagram, ~60 lines) and its rows (RowView, ~40)
 * draw with one geometry (X, BOX, TOP, ROW: where the lifelines stand and where each row goes), and
 * the rows' text alternative (rowSentence) is cached per language beside them. Split, the geometry
 * would be exported to two files that must agree. No component here is over 120 lines.
 */
import type { TFunction } from "i18next";
import { memo, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { useRowsInView } from "./rowsInView.ts";
import type { FoldedRuns } from "./runSequence.ts";
import { callLabel, describeItem, messageLabel, type SequenceItem, stateLabel } from "./sequenceModel.ts";

export type SequenceDiagramProps = {
  /** The rows of the run shown. */
  items: readonly SequenceItem[];
  /** Which run of the session it is (1-based), and what the runs before it add up to. */
  run?: number;
  folded?: FoldedRuns;
  /** The run is still being folded (a long opened run): how far, said instead of a part drawn. */
  drawing?: { done: number; total: number };
};

const WIDTH = 520;
const X: Record<ModuleName, number> = { client: 110, server: 410 };
const BOX = 176;
const TOP = 44;
const ROW = 26;
/**
 * The most rows drawn: a run's connection takes about 30, and a file of 35,000 events would
 * otherwise be one SVG of 250,000 nodes (a 10 s task). Past it the newest rows are drawn and the
 * pane says how many earlier ones are not.
 */
export const MAX_SEQUENCE_ROWS = 400;
/**
 * Up to this many rows (a few runs' connections), all are drawn; past it only those in view of the
 * dock's pane (the SVG keeps its whole height, and its text alternative every row).
 */
export const DRAW_ALL_ROWS = 120;

type RowProps = { item: SequenceItem; y: number; t: TFunction };

/**
 * The diagram is redrawn on every event, from items built anew each time; a row whose item reads
 * the same is not re-rendered, so a new event costs its own rows, not the whole session's.
 */
const Row = memo(
  RowView,
  (a: RowProps, b: RowProps) =>
    a.y === b.y && a.t === b.t && JSON.stringify(a.item) === JSON.stringify(b.item),
);

function RowView({ item, y, t }: RowProps) {
  switch (item.kind) {
    case "call": {
      const failed = item.result !== null && item.result < 0;
      const label = callLabel(item.step, t);
      const text = item.pending ? `${label} …` : item.result === null ? label : `${label} → ${item.result}`;
      return (
        <g className={`seq-call${failed ? " seq-failed" : ""}${item.pending ? " seq-pending" : ""}`}>
          <rect x={X[item.side] - BOX / 2} y={y - 15} width={BOX} height={20} rx={4} />
          <text x={X[item.side]} y={y} textAnchor="middle">
            {text}
          </text>
        </g>
      );
    }
    case "message": {
      const from = X[item.from];
      const to = X[item.from === "client" ? "server" : "client"];
      const dir = to > from ? -1 : 1;
      return (
        <g className="seq-message">
          <line x1={from} y1={y} x2={to + dir * 2} y2={y} />
          <polygon points={`${to},${y} ${to + dir * 8},${y - 4} ${to + dir * 8},${y + 4}`} />
          <text x={(from + to) / 2} y={y - 5} textAnchor="middle">
            {messageLabel(item, t)}
          </text>
        </g>
      );
    }
    case "state": {
      const label = stateLabel(item, t);
      return (
        <g className={`seq-state seq-state-${item.state.toLowerCase()}`}>
          <rect x={X[item.side] - BOX / 2} y={y - 14} width={BOX} height={18} rx={9} />
          <text x={X[item.side]} y={y} textAnchor="middle">
            {label}
          </text>
        </g>
      );
    }
  }
}

/**
 * The connection as a sequence diagram: client and server lifelines, each kernel call, the segments
 * the calls imply, and the TCP states the kernel reported between them. One SVG image whose text
 * alternative lists every row in order.
 */
export function SequenceDiagram({ items: folding, run = 1, folded, drawing }: SequenceDiagramProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();
  // Until the run is folded to its end, no row is drawn: its first rows alone would mislead.
  const all = drawing ? [] : folding;
  const skipped = Math.max(0, all.length - MAX_SEQUENCE_ROWS);
  const items = skipped > 0 ? all.slice(skipped) : all;
  const height = TOP + Math.max(items.length, 1) * ROW + 12;
  const svg = useRef<SVGSVGElement>(null);
  const inView = useRowsInView(svg, items.length, ROW, TOP, items.length > DRAW_ALL_ROWS);
  const description =
    items.length === 0
      ? t("sequence.empty")
      : items.map((item, i) => rowSentence(item, skipped + i, t)).join(" ");
  return (
    <section className="truth-pane sequence" aria-label={t("sequence.region")}>
      <h2 className="pane-title">{t("sequence.title")}</h2>
      {folded ? (
        <p className="sequence-folded">
          <strong>{t("sequence.run", { n: run })}</strong>{" "}
          {t("sequence.folded", { runs: folded.runs, calls: folded.calls, failed: folded.failedCalls })}
        </p>
      ) : null}
      {drawing ? (
        <p className="sequence-skipped" role="status">
          {t("sequence.drawing", drawing)}
        </p>
      ) : null}
      {skipped > 0 ? (
        <p className="sequence-skipped">{t("sequence.skipped", { count: skipped, shown: items.length })}</p>
      ) : null}
      <div className="sequence-scroll">
        <svg
          ref={svg}
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          viewBox={`0 0 ${WIDTH} ${height}`}
          width={WIDTH}
          height={height}
        >
          <title id={titleId}>{t("sequence.image", { n: all.length })}</title>
          <desc id={descId}>{description}</desc>
          {(["client", "server"] as const).map((side) => (
            <g key={side} className="seq-lifeline">
              <text x={X[side]} y={18} textAnchor="middle" className="seq-head">
                {t(`module.${side}.region`)}
              </text>
              <line x1={X[side]} y1={26} x2={X[side]} y2={height - 6} />
            </g>
          ))}
          {items.slice(inView.from, inView.to).map((item, i) => (
            // Rows are appended or replaced in place, never reordered: their index is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Row key={inView.from + i} item={item} y={TOP + (inView.from + i) * ROW + 10} t={t} />
          ))}
        </svg>
      </div>
    </section>
  );
}

/** Each distinct row's description per language: rows repeat from run to run, and t() is not cheap. */
const descriptions = new WeakMap<TFunction, Map<string, string>>();
/** "{{n}}. {{text}}." in each language, read once: hundreds of rows are numbered per redraw. */
const numbering = new WeakMap<TFunction, string>();
const N = "\u0001";
const TEXT = "\u0002";

function rowSentence(item: SequenceItem, index: number, t: TFunction): string {
  let byItem = descriptions.get(t);
  if (!byItem) {
    byItem = new Map();
    descriptions.set(t, byItem);
  }
  const key = JSON.stringify(item);
  let text = byItem.get(key);
  if (text === undefined) {
    // A session of odd runs must not grow the cache for ever.
    if (byItem.size > 2000) byItem.clear();
    text = describeItem(item, t);
    byItem.set(key, text);
  }
  let pattern = numbering.get(t);
  if (pattern === undefined) {
    pattern = t("sequence.item", { n: N, text: TEXT });
    numbering.set(t, pattern);
  }
  return pattern.replace(N, String(index + 1)).replace(TEXT, () => text);
}
