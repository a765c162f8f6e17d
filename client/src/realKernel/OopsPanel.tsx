/**
 * Why one file over 120 lines: it is one component (OopsPanel, ~100 lines) and its wording of a
 * frame and a VM. The head, the faulting line, the frame buttons and the "showing" status all
 * derive from the one oops entry, and the status says which frame a button showed (one piece of
 * state shared by the buttons and the status); split, that state would have to be lifted and passed
 * around for no gain.
 */
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import listings from "virtual:listings";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { faultingFrame, isCurrent, markedLine, type OopsEntry } from "../dock/useOopsDock.ts";

export type OopsPanelProps = {
  entry: OopsEntry;
  onShowLine?: (seq: number, module: ModuleName, cLine: number) => void;
  onDismiss: (seq: number) => void;
};

type Frame = ServerEventOf<"oops">["frames"][number];

/** "myserver.cold+0x166", as the oops printed it (without the function's length). */
function where(frame: Frame): string {
  return frame.offset === undefined ? frame.symbol : `${frame.symbol}+0x${frame.offset.toString(16)}`;
}

/** Which VM the oops came from, whether that VM is the one running now, and which listing it ran. */
function vmWords(t: TFunction, entry: OopsEntry): string {
  const vm = { vm: entry.vm };
  let words: string;
  switch (entry.vmState) {
    case "running":
      words = t("oopsDock.vmNow", vm);
      break;
    case "rebooted":
      words = t("oopsDock.vmRebooted", vm);
      break;
    case "stopped":
      words = t("oopsDock.vmStopped", vm);
      break;
    default:
      return entry.vmState satisfies never;
  }
  return entry.otherListing
    ? t("oopsDock.otherListing", { words, variant: t(`variant.${entry.variant}`) })
    : words;
}

/**
 * A real kernel's oops, one entry of the dock's oops tab: when (the guest's clock), where it
 * faulted (function+offset, and the C line of the listing that called it), which VM, the call
 * trace's frames the listing defines, and the oops whole.
 */
export function OopsPanel({ entry, onShowLine, onDismiss }: OopsPanelProps) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<Frame | undefined>();
  const oops = entry.event;
  // A listing other than the one shown has other lines: its frames are told, not linked.
  const linkable = !entry.otherListing;
  const current = isCurrent(entry);
  // One entry per listed line: a "?" frame repeating a sure one adds nothing to read.
  const linked = oops.frames
    .filter((f) => markedLine(f) !== undefined && f.listingModule)
    .filter((f, i, all) => all.findIndex((g) => g.name === f.name && markedLine(g) === markedLine(f)) === i);
  const rip = oops.frames.find((f) => f.rip);
  const fault = faultingFrame(oops);
  const faultLine = fault ? markedLine(fault) : undefined;
  const source =
    fault?.listingModule && faultLine !== undefined && entry.variant
      ? listings[entry.variant]?.[fault.listingModule]?.cText.split("\n")[faultLine - 1]?.trim()
      : undefined;
  const time = `[${oops.t.toFixed(6)}]`;
  const show = (frame: Frame) => {
    const line = markedLine(frame);
    if (!frame.listingModule || line === undefined) return;
    setShown(frame);
    onShowLine?.(oops.seq, frame.listingModule, line);
  };
  return (
    <section
      className={`oops${current ? "" : " oops-stale"}`}
      aria-label={t("engine.oops.region")}
      data-vm={entry.vm}
      data-current={current}
    >
      <div className="oops-head">
        <h2>
          {t("engine.oops.title", {
            where: rip ? t("engine.oops.in", { symbol: where(rip) }) : "",
            time: oops.t.toFixed(6),
          })}
        </h2>
        <span className="oops-vm">{vmWords(t, entry)}</span>
        <button
          type="button"
          className="oops-dismiss"
          aria-label={t("oopsDock.dismissNamed", { vm: entry.vm, time })}
          onClick={() => onDismiss(oops.seq)}
        >
          {t("oopsDock.dismiss")}
        </button>
      </div>
      {fault?.listingModule && faultLine !== undefined ? (
        <p className="oops-fault">
          {t("oopsDock.fault", {
            symbol: where(fault),
            file: `${fault.listingModule}.c`,
            line: faultLine,
          })}{" "}
          {source ? <code className="oops-source">{source}</code> : null}
        </p>
      ) : null}
      {linked.length ? (
        <ul className="oops-frames">
          {linked.map((frame) => {
            const words = t(frame.call && frame.line ? "engine.oops.frameCall" : "engine.oops.frame", {
              symbol: where(frame),
              file: `${frame.listingModule}.c`,
              line: markedLine(frame),
              call: frame.call,
            });
            return (
              <li key={frame.textLine}>
                {linkable ? (
                  <button type="button" onClick={() => show(frame)}>
                    {words}
                  </button>
                ) : (
                  words
                )}
                {frame.reliable ? "" : t("engine.oops.stale")}
              </li>
            );
          })}
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
      <details className="oops-whole">
        <summary>{t("oopsDock.whole")}</summary>
        <pre className="oops-text">{oops.text}</pre>
      </details>
    </section>
  );
}
