/**
 * Why one file over 120 lines: the strip itself (EngineSwitch) is ~65 lines; the rest is the engine's
 * status in words (statusWords, also read by app/SetupStrip.tsx, and stopWords), the exhaustive
 * switches over the protocol's engine states and stop reasons that the strip shows. They are kept
 * beside the strip so a new engine state is worded where it is shown. No component here is over 120 lines.
 */
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { Engine } from "../../../shared/protocol/engineMessages.ts";
import type { Variant } from "../../../shared/protocol/steps.ts";
import { PortDiff } from "./PortDiff.tsx";
import "./engineSwitch.css";

export type EngineSwitchProps = {
  status?: ServerEventOf<"engine">;
  variant: Variant;
  onSelect: (engine: Engine) => void;
  onRestart: () => void;
};

export function statusWords(t: TFunction, status: ServerEventOf<"engine"> | undefined): string {
  if (!status || status.engine === "node") return t("engine.status.node");
  const release = status.kernelRelease ? ` ${status.kernelRelease}` : "";
  switch (status.status) {
    case "available":
      return t("engine.status.available", { release });
    case "missing":
      return t("engine.status.missing");
    case "building":
      return t("engine.status.building");
    case "build-failed":
      return t("engine.status.buildFailed");
    case "built": {
      const took = status.ms ? t("engine.status.builtTook", { seconds: (status.ms / 1000).toFixed(1) }) : "";
      return t("engine.status.built", { release, took });
    }
    case "queued":
      return status.estimateMs === undefined
        ? t("engine.status.queued", { position: status.position ?? "?" })
        : t("engine.status.queuedEstimate", {
            position: status.position ?? "?",
            minutes: Math.max(1, Math.round(status.estimateMs / 60_000)),
          });
    case "booting":
      return t("engine.status.booting", { release });
    case "ready": {
      const booted = status.ms ? t("engine.status.booted", { seconds: (status.ms / 1000).toFixed(1) }) : "";
      return t("engine.status.ready", { release, booted });
    }
    case "stopped":
      return t("engine.status.stopped", { detail: stopWords(t, status) });
    default:
      return status.status satisfies never;
  }
}

/**
 * Why the VM stopped, in the reader's language from the server's code: the server's English
 * `detail` only when it sent no code. QEMU's own words on an exit are shown apart, marked English.
 */
function stopWords(t: TFunction, status: ServerEventOf<"engine">): string {
  switch (status.reason) {
    case undefined:
      return status.detail ?? t("engine.status.exited");
    case "idle": {
      const ms = status.idleMs ?? 0;
      const minutes = ms / 60_000;
      return minutes >= 1 && Number.isInteger(minutes)
        ? t("engine.stopReason.idleMinutes", { minutes })
        : t("engine.stopReason.idleSeconds", { seconds: Math.round(ms / 1000) });
    }
    case "panic":
      return t("engine.stopReason.panic");
    case "time-limit":
      return t("engine.stopReason.timeLimit");
    case "poweroff":
      return t("engine.stopReason.poweroff");
    case "disposed":
      return t("engine.stopReason.disposed");
    case "exited":
      return t("engine.status.exited");
    default:
      return status.reason satisfies never;
  }
}

/**
 * Picks the engine that runs the modules: the Node lab (default) or the C itself in a real kernel.
 * Its oopses are in the dock (dock/OopsDock.tsx): this strip keeps its one row.
 */
export function EngineSwitch({ status, variant, onSelect, onRestart }: EngineSwitchProps) {
  const { t } = useTranslation();
  const engine: Engine = status?.engine ?? "node";
  const real = engine === "real-kernel";
  return (
    <section className="engine-switch" aria-label={t("engine.region")}>
      <fieldset className="buttons">
        <legend className="visually-hidden">{t("engine.legend")}</legend>
        <button type="button" aria-pressed={!real} onClick={() => onSelect("node")}>
          {t("engine.node")}
        </button>
        <button type="button" aria-pressed={real} onClick={() => onSelect("real-kernel")}>
          {t("engine.real")} <code>QEMU</code>
        </button>
        {real && (status?.status === "ready" || status?.status === "stopped") ? (
          <button type="button" onClick={onRestart}>
            {t("engine.powerOff")}
          </button>
        ) : null}
      </fieldset>
      <p className="engine-status" role="status" title={statusWords(t, status)}>
        {statusWords(t, status)}
      </p>
      {real && status?.status === "missing" ? (
        <div className="engine-missing">
          <p>
            <Trans
              i18nKey="engine.install"
              values={{ command: status.installCommand }}
              components={[<code key="command" />]}
            />
          </p>
          {status.missing?.length ? (
            <p>
              {/* The server names the packages in English: marked so, as a reader's voice should switch. */}
              <Trans
                i18nKey="engine.missingList"
                values={{ list: status.missing.join("; ") }}
                components={[<span key="list" lang="en" />]}
              />
            </p>
          ) : null}
        </div>
      ) : null}
      {real && status?.status === "built" && status.installCommand ? (
        <p className="engine-boot-how-to">
          <Trans
            i18nKey="engine.bootHowTo"
            values={{ command: status.installCommand }}
            components={[<code key="command" />]}
          />
        </p>
      ) : null}
      {real && status?.status === "stopped" && status.reason === "exited" && status.detail ? (
        <p className="engine-exit-detail">
          {t("engine.stopReason.qemuSaid")} <code lang="en">{status.detail}</code>
        </p>
      ) : null}
      {real && status?.status === "build-failed" ? <pre className="build-output">{status.detail}</pre> : null}
      {real && variant === "published" ? <PortDiff /> : null}
    </section>
  );
}
