import { memo, useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { declarationText } from "../../../shared/kernelCalls/callSignatures.ts";
import { type CallEvent, callShown } from "./callShown.ts";
import { hexdumpText } from "./hexdump.ts";
import { decodeBase64 } from "./receivedBytes.ts";
import "./callView.css";

export type CallViewProps = { shown: RecordPrefix };

function phaseKey(event: CallEvent): "waiting" | "enter" | "exit" {
  return event.type === "step.waiting" ? "waiting" : event.phase;
}

/**
 * The call view (Python Tutor's frame, for one kernel call): the call of the moment shown, its
 * arguments by the kernel signature on the run's release, each decoded (a struct's members under
 * its pointer), the return value with its errno, and for send/recv the buffer's bytes. On the real
 * kernel the values were read from guest memory at the breakpoint; on the Node lab they are the
 * TS twin's, and the view says so.
 */
export const CallView = memo(function CallView({ shown }: CallViewProps) {
  const { t } = useTranslation();
  const id = useId();
  const event = callShown(shown);
  const data = event?.type === "step" && event.phase === "exit" ? event.data : undefined;
  const dump = useMemo(() => (data ? hexdumpText(decodeBase64(data.base64)) : ""), [data]);
  if (!event) {
    return (
      <section className="call-view" aria-label={t("callView.region")}>
        <p className="call-note">{t("callView.empty")}</p>
      </section>
    );
  }
  const frame = event.call;
  const phase = phaseKey(event);
  const file = `${event.module}.c`;
  return (
    <section className="call-view" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="call-title">
        <code>{frame?.function ?? event.step}</code>{" "}
        <span className="call-where">
          {t("callView.where", { file, line: event.cLine, phase: t(`callView.phase.${phase}`) })}
        </span>{" "}
        {frame ? (
          <span className={`call-badge call-badge-${frame.source}`}>
            {t(`callView.badge.${frame.source}`)}
          </span>
        ) : null}
      </h2>
      {frame ? (
        <>
          <p className="call-signature">
            <code>{declarationText(frame.function, frame.returns, frame.args)}</code>
          </p>
          <div className="call-body">
            <table className="call-args">
              <caption>{t("callView.arguments")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("callView.param")}</th>
                  <th scope="col">{t("callView.type")}</th>
                  <th scope="col">{t("callView.value")}</th>
                </tr>
              </thead>
              <tbody>
                {frame.args.map((arg) => (
                  <tr key={arg.name} data-arg={arg.name}>
                    <th scope="row">
                      <code>{arg.name}</code>
                    </th>
                    <td>
                      <code>{arg.type}</code>
                    </td>
                    <td>
                      {arg.value === null ? (
                        <span className="call-none">{t("callView.noTwinValue")}</span>
                      ) : (
                        <code>{arg.value}</code>
                      )}
                      {arg.fields?.length ? (
                        <dl className="call-fields" aria-label={t("callView.fields", { name: arg.name })}>
                          {arg.fields.map((field) => (
                            <div key={field.name} data-field={field.name}>
                              <dt>
                                <code>{field.name}</code>
                              </dt>
                              <dd>
                                <code>{field.value}</code>
                              </dd>
                            </div>
                          ))}
                        </dl>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="call-result">
              <ReturnAndBytes event={event} phase={phase} dump={dump} />
            </div>
          </div>
          <p className={`call-source call-source-${frame.source}`}>
            {frame.source === "twin"
              ? t("callView.source.twin", { release: frame.release })
              : t(phase === "exit" ? "callView.source.guestExit" : "callView.source.guest", {
                  release: frame.release,
                })}
          </p>
        </>
      ) : (
        <>
          <p className="call-note">{t("callView.noFrame")}</p>
          <ReturnAndBytes event={event} phase={phase} dump={dump} />
        </>
      )}
    </section>
  );
});

function ReturnAndBytes({
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
