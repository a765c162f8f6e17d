import { useTranslation } from "react-i18next";
import type { CallEvent } from "./callShown.ts";

/**
 * The call view's result: what the call returned (with its errno), or that it has not returned
 * yet and why, and for a call that received bytes their hexdump (`dump`, made by the caller once).
 */
export function ReturnAndBytes({
  event,
  phase,
  dump,
}: {
  event: CallEvent;
  phase: "waiting" | "enter" | "exit";
  dump: string;
}) {
  const { t } = useTranslation();
  const data = event.type === "step" && event.phase === "exit" ? event.data : undefined;
  return (
    <>
      <dl className="call-return">
        <dt>{t("callView.returned")}</dt>
        <dd data-return="">
          {event.type === "step" && event.phase === "exit" ? (
            event.result === null ? (
              <code>void</code>
            ) : (
              <code>
                {event.result}
                {event.errno ? ` (${event.errno})` : ""}
              </code>
            )
          ) : (
            <span className="call-none">{t(`callView.notReturned.${phase}`)}</span>
          )}
        </dd>
      </dl>
      {data ? (
        <figure className="call-bytes">
          <figcaption>{t("callView.bytes", { length: data.length, size: data.bufferSize })}</figcaption>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the dump scrolls sideways in a narrow column; focus lets the keyboard scroll it */}
          <pre className="hexdump" tabIndex={0}>
            {dump}
          </pre>
        </figure>
      ) : null}
    </>
  );
}
