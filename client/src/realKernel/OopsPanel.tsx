import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";

export type OopsPanelProps = {
  oops: ServerEventOf<"oops">;
  onShowLine?: (module: ModuleName, cLine: number) => void;
};

type Frame = ServerEventOf<"oops">["frames"][number];

/** A real kernel's oops, whole, with the functions it names that the listing defines. */
export function OopsPanel({ oops, onShowLine }: OopsPanelProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<Frame | undefined>();
  // One entry per listed function: a "?" frame repeating a sure one adds nothing to read.
  const linked = oops.frames
    .filter((f) => f.cLine !== undefined && f.listingModule)
    .filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i);
  const rip = oops.frames.find((f) => f.rip);
  const show = (frame: Frame) => {
    if (!frame.listingModule || frame.cLine === undefined) return;
    setShown(frame);
    onShowLine?.(frame.listingModule, frame.cLine);
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
                {t("engine.oops.frame", {
                  symbol: frame.symbol,
                  file: `${frame.listingModule}.c`,
                  line: frame.cLine,
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
              symbol: shown.symbol,
              file: `${shown.listingModule}.c`,
              line: shown.cLine,
            })
          : ""}
      </p>
      <pre className="oops-text">{oops.text}</pre>
    </section>
  );
}
