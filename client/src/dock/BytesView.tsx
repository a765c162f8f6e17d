import type { TFunction } from "i18next";
import { memo, useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import { hexdumpText } from "./hexdump.ts";
import { formatDmesg } from "../../../shared/kernelLog/printk.ts";
import { DEFAULT_SERIES } from "../../../shared/releases/kernelSeries.ts";
import { type PrintkLimit, printkLimit } from "../../../shared/releases/releaseFacts.ts";
import type { Received } from "./receivedBytes.ts";

export type BytesViewProps = {
  received: Received | undefined;
  /** The kernel release picked, and its printk record limit with the release it was checked on. */
  series?: string;
  limit?: PrintkLimit;
};

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

function cLiteral(format: string): string {
  return `"${format.replace(/[\n\t"\\]/g, (c) => C_ESCAPES[c] ?? c)}"`;
}

/** "1024 bytes, all 0x01" for a run of one byte value, else the count. */
function describeBytes(bytes: Uint8Array, t: TFunction): string {
  const first = bytes[0];
  if (first !== undefined && bytes.every((b) => b === first))
    return t("bytes.allSame", { n: bytes.length, hex: first.toString(16).padStart(2, "0") });
  return t("bytes.count", { n: bytes.length });
}

function PrintedExplanation({
  received,
  series = DEFAULT_SERIES,
  limit = printkLimit(DEFAULT_SERIES),
}: {
  received: Received;
  series?: string;
  limit?: PrintkLimit;
}) {
  const { t } = useTranslation();
  const printed = received.printed;
  if (!printed) return null;
  const { record, format, call } = printed;
  const verdict = record.cut
    ? t("bytes.cut", { n: record.text.length, newline: format.endsWith("\n") ? t("bytes.cutNewline") : "" })
    : record.unknownTail
      ? t("bytes.unknownTail")
      : t("bytes.fits", { n: record.text.length });
  return (
    <div className="bytes-printk">
      <h3>
        <Trans
          i18nKey="bytes.printed"
          values={{ call: `${call}(${cLiteral(format)}, …)`, line: printed.cLine }}
          components={[<code key="call" />]}
        />
      </h3>
      <ul>
        {record.readPastEnd ? (
          <li>
            <Trans
              i18nKey="bytes.noNul"
              values={{
                length: received.length,
                rest: t("bytes.restFilled", { size: received.bufferSize }),
              }}
              components={[<strong key="nul" />, <code key="s" />]}
            />
          </li>
        ) : (
          <li>
            {t("bytes.stops", {
              why: format.includes("%.*s") ? t("bytes.stopsPrecision") : t("bytes.stopsNul"),
            })}
          </li>
        )}
        <li>
          <Trans
            i18nKey="bytes.record"
            values={{
              max: record.textMax,
              size: limit.lineMax,
              macro: limit.macro,
              series,
              checked: limit.unchecked ? t("bytes.unchecked", { checked: limit.checkedOn }) : limit.checkedOn,
              prefix: record.prefixLength
                ? t("bytes.prefixLevel", { call, n: record.prefixLength })
                : t("bytes.prefixNone"),
              verdict,
            }}
            components={[<strong key="max" />]}
          />
        </li>
        <li>
          <Trans
            i18nKey="bytes.dmesg"
            components={[<strong key="how" />, <code key="nn" />, <code key="x01" />, <code key="caret" />]}
          />
        </li>
      </ul>
      <details className="bytes-dmesg-details">
        <summary>
          {t("bytes.dmesgSummary", {
            n: record.text.length,
            tail: record.unknownTail ? t("bytes.dmesgTail") : "",
          })}
        </summary>
        <pre className="bytes-dmesg">{formatDmesg(printed.t, printed.dmesg)}</pre>
      </details>
    </div>
  );
}

/**
 * The bytes kernel_recvmsg really received in this run, as `hexdump -C` shows them, and what the
 * listing's printk does with them on a real kernel: where %s stops (or does not), the record size
 * limit, and dmesg's escaping.
 */
export const BytesView = memo(function BytesView({ received, series, limit }: BytesViewProps) {
  const { t } = useTranslation();
  const dump = useMemo(() => (received ? hexdumpText(received.bytes) : ""), [received]);
  return (
    <section className="truth-pane bytes-view" aria-label={t("bytes.region")}>
      <h2 className="pane-title">{t("bytes.title")}</h2>
      {received ? (
        <>
          <p className="truth-note">
            {t("bytes.received", {
              line: received.cLine,
              listing: received.variant === "fixed" ? t("bytes.fixedListing") : t("bytes.publishedListing"),
              length: received.length,
              bytes: describeBytes(received.bytes, t),
              shown:
                received.bytes.length < received.length ? t("bytes.shown", { n: received.bytes.length }) : "",
              size: received.bufferSize,
            })}
          </p>
          <figure className="bytes-figure">
            <figcaption>
              <Trans i18nKey="bytes.hexdump" components={[<code key="hexdump" />]} />
            </figcaption>
            <pre className="hexdump">{dump}</pre>
          </figure>
          <PrintedExplanation received={received} series={series} limit={limit} />
        </>
      ) : (
        <p className="truth-note">{t("bytes.empty")}</p>
      )}
    </section>
  );
});
