import { Trans, useTranslation } from "react-i18next";
import { formatDmesg } from "../../../shared/kernelLog/printk.ts";
import { DEFAULT_SERIES } from "../../../shared/releases/kernelSeries.ts";
import { type PrintkLimit, printkLimit } from "../../../shared/releases/releaseFacts.ts";
import type { Received } from "./receivedBytes.ts";

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

function cLiteral(format: string): string {
  return `"${format.replace(/[\n\t"\\]/g, (c) => C_ESCAPES[c] ?? c)}"`;
}

/**
 * What the listing's printk did with the received bytes on a real kernel (the Bytes tab, under the
 * hexdump): where %s stops (or does not), the record size limit of the release picked, dmesg's escaping.
 */
export function PrintedExplanation({
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
