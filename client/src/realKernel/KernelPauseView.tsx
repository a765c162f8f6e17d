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
 * Real kernel, step mode: the VM is paused before one of the module's calls. Shows the guest's
 * clock (stopped with the VM) and the `struct socket` the call is handed, read from guest memory.
 */
export function KernelPauseView({ module, events }: { module: ModuleName; events: readonly LabEvent[] }) {
  const { t } = useTranslation();
  const step = useMemo(() => latestStep(events, module), [events, module]);
  if (step?.type !== "step.waiting" || !step.vmPaused) return null;
  const name = t(`module.${module}.name`);
  return (
    <section className="kernel-pause" aria-label={t("stepMode.paused.region", { name })}>
      <p className="kernel-pause-title">
        {t("stepMode.paused.title", { step: step.step, line: step.cLine })}
      </p>
      <p className="kernel-pause-clock" data-guest-uptime={step.t.toFixed(3)}>
        {t("stepMode.paused.clock", { t: step.t.toFixed(3) })}
      </p>
      {step.socket ? <SocketFields socket={step.socket} /> : null}
    </section>
  );
}

function SocketFields({ socket }: { socket: KernelSocketView }) {
  const { t } = useTranslation();
  if (socket.address === "0") return <p>{t("stepMode.paused.nullSocket", { name: socket.name })}</p>;
  return (
    <>
      <p className="kernel-socket-title">{t("stepMode.paused.socket", socket)}</p>
      <dl className="kernel-socket" aria-label={t("stepMode.paused.socket", socket)}>
        <dt>{t("stepMode.paused.state")}</dt>
        <dd>
          <code>{socket.state}</code>
        </dd>
        <dt>{t("stepMode.paused.type")}</dt>
        <dd>
          <code>{socket.type}</code>
        </dd>
        <dt>{t("stepMode.paused.ops")}</dt>
        <dd data-field="ops">
          {socket.ops === null ? <strong>{t("stepMode.paused.opsNull")}</strong> : <code>{socket.ops}</code>}
        </dd>
        <dt>{t("stepMode.paused.sk")}</dt>
        <dd>{socket.sk ? t("stepMode.paused.skSet") : t("stepMode.paused.skNull")}</dd>
      </dl>
    </>
  );
}
