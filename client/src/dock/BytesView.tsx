import type { TFunction } from "i18next";
import { memo, useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import { hexdumpText } from "./hexdump.ts";
import type { PrintkLimit } from "../../../shared/releases/releaseFacts.ts";
import { PrintedExplanation } from "./PrintedExplanation.tsx";
import type { Received } from "./receivedBytes.ts";

export type BytesViewProps = {
  received: Received | undefined;
  /** The kernel release picked, and its printk record limit with the release it was checked on. */
  series?: string;
  limit?: PrintkLimit;
};

/** "1024 bytes, all 0x01" for a run of one byte value, else the count. */
function describeBytes(bytes: Uint8Array, t: TFunction): string {
  const first = bytes[0];
  if (first !== undefined && bytes.every((b) => b === first))
    return t("bytes.allSame", { n: bytes.length, hex: first.toString(16).padStart(2, "0") });
  return t("bytes.count", { n: bytes.length });
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
