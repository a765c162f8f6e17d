import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { KernelSocketView, LabEvent, ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import "./kernelPause.css";

type StepEvent = ServerEventOf<"step"> | ServerEventOf<"step.waiting">;

/** The module's latest call on the real kernel, while the VM is paused before it (step mode). */
function latestStep(events: readonly LabEvent[], module: ModuleName): StepEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event && (event.type === "step" || event.type === "step.waiting") && event.module === module)
      return event;
    if (event?.type === "module.state" && event.module === module && event.state === "loading")
      return undefined;
  }
  return undefined;
}

/**
 * Real kernel, step mode: the VM is paused before one of the module's calls. One line in the
 * module's header (it never pushes the lit line, its TS twin or the listing down): the pause, the
 * guest's clock (stopped with the VM; the why is the clock's description) and the `struct socket`
 * the call is handed, read from guest memory. A line too long for the pane ends in an ellipsis and
 * is whole in its tooltip.
 */
export function KernelPauseView({ module, events }: { module: ModuleName; events: readonly LabEvent[] }) {
  const { t } = useTranslation();
  const step = useMemo(() => latestStep(events, module), [events, module]);
  if (step?.type !== "step.waiting" || !step.vmPaused) return null;
  const name = t(`module.${module}.name`);
  const title = t("stepMode.paused.title", { step: step.step, line: step.cLine });
  const clock = t("stepMode.paused.clockShort", { t: step.t.toFixed(3) });
  const socket = step.socket ? socketWords(t, step.socket) : undefined;
  return (
    <section
      className="kernel-pause"
      aria-label={t("stepMode.paused.region", { name })}
      title={[title, clock, socket].filter(Boolean).join(" · ")}
    >
      <p className="kernel-pause-line">
        <span className="kernel-pause-title">{title}</span>
        <span
          className="kernel-pause-clock"
          data-guest-uptime={step.t.toFixed(3)}
          aria-description={t("stepMode.paused.clock", { t: step.t.toFixed(3) })}
        >
          {clock}
        </span>
        {step.socket ? <SocketFields socket={step.socket} /> : null}
      </p>
    </section>
  );
}

function socketWords(
  t: (key: string, options?: Record<string, unknown>) => string,
  socket: KernelSocketView,
) {
  if (socket.address === "0") return t("stepMode.paused.nullSocket", { name: socket.name });
  const ops = socket.ops === null ? t("stepMode.paused.opsNull") : socket.ops;
  const sk = socket.sk ? t("stepMode.paused.skSet") : t("stepMode.paused.skNull");
  return `${t("stepMode.paused.socket", socket)}: ${t("stepMode.paused.state")} ${socket.state}, ${t("stepMode.paused.type")} ${socket.type}, ${t("stepMode.paused.ops")} ${ops}, ${t("stepMode.paused.sk")} ${sk}`;
}

function SocketFields({ socket }: { socket: KernelSocketView }) {
  const { t } = useTranslation();
  if (socket.address === "0")
    return <span className="kernel-socket">{t("stepMode.paused.nullSocket", { name: socket.name })}</span>;
  return (
    <span className="kernel-socket">
      <span className="kernel-socket-title">{t("stepMode.paused.socket", socket)}:</span>{" "}
      {t("stepMode.paused.state")} <code>{socket.state}</code>, {t("stepMode.paused.type")}{" "}
      <code>{socket.type}</code>, {t("stepMode.paused.ops")}{" "}
      <span data-field="ops">
        {socket.ops === null ? <strong>{t("stepMode.paused.opsNull")}</strong> : <code>{socket.ops}</code>}
      </span>
      , {t("stepMode.paused.sk")} {socket.sk ? t("stepMode.paused.skSet") : t("stepMode.paused.skNull")}
    </span>
  );
}
