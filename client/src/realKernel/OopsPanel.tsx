import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";

export type OopsPanelProps = {
  oops: ServerEventOf<"oops">;
  onShowLine?: (module: ModuleName, cLine: number) => void;
};

type Frame = ServerEventOf<"oops">["frames"][number];

/** The line a frame marks: its instruction's line when the debug information found it, else the function's. */
function markedLine(frame: Frame): number | undefined {
  return frame.line ?? frame.cLine;
}

/** "myserver.cold+0x166", as the oops printed it (without the function's length). */
function where(frame: Frame): string {
  return frame.offset === undefined ? frame.symbol : `${frame.symbol}+0x${frame.offset.toString(16)}`;
}

/** A real kernel's oops, whole, with the functions it names that the listing defines. */
export function OopsPanel({ oops, onShowLine }: OopsPanelProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<Frame | undefined>();
  // One entry per listed line: a "?" frame repeating a sure one adds nothing to read.
  const linked = oops.frames
    .filter((f) => markedLine(f) !== undefined && f.listingModule)
    .filter((f, i, all) => all.findIndex((g) => g.name === f.name && markedLine(g) === markedLine(f)) === i);
  const rip = oops.frames.find((f) => f.rip);
  const show = (frame: Frame) => {
    const line = markedLine(frame);
    if (!frame.listingModule || line === undefined) return;
    setShown(frame);
    onShowLine?.(frame.listingModule, line);
  };
  return (
    <section className="oops" aria-label={t("engine.oops.region")}>
      <h2>
        {t("engine.oops.title", {
          where: rip ? t("engine.oops.in", { symbol: rip.symbol }) : "",
          time: oops.t.toFixed(6),
        })}
      </h2>
      {linked.length ? (
        <ul className="oops-frames">
          {linked.map((frame) => (
            <li key={frame.textLine}>
              <button type="button" onClick={() => show(frame)}>
                {t(frame.call && frame.line ? "engine.oops.frameCall" : "engine.oops.frame", {
                  symbol: where(frame),
                  file: `${frame.listingModule}.c`,
                  line: markedLine(frame),
                  call: frame.call,
                })}
              </button>
              {frame.reliable ? "" : t("engine.oops.stale")}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="oops-shown" role="status">
        {shown
          ? t("engine.oops.showing", {
              symbol: where(shown),
              file: `${shown.listingModule}.c`,
              line: markedLine(shown),
            })
          : ""}
      </p>
      <pre className="oops-text">{oops.text}</pre>
    </section>
  );
}
