import { memo, useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { declarationText } from "../../../shared/kernelCalls/callSignatures.ts";
import { CallArguments } from "./CallArguments.tsx";
import { type CallEvent, callShown } from "./callShown.ts";
import { hexdumpText } from "./hexdump.ts";
import { ReturnAndBytes } from "./ReturnAndBytes.tsx";
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
            <CallArguments args={frame.args} />
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
