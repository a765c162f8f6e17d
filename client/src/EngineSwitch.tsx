import type { LabEvent, ServerEventOf } from "../../shared/protocol.ts";
import type { Engine } from "../../shared/realKernelProtocol.ts";
import type { Variant } from "../../shared/steps.ts";
import { OopsPanel } from "./OopsPanel.tsx";
import { PortDiff } from "./PortDiff.tsx";
import "./engineSwitch.css";

export type EngineSwitchProps = {
  status?: ServerEventOf<"engine">;
  variant: Variant;
  /** The lab's events: the real kernel's latest oopses are shown whole. */
  events: readonly LabEvent[];
  onSelect: (engine: Engine) => void;
  onRestart: () => void;
};

function statusWords(status: ServerEventOf<"engine"> | undefined): string {
  if (!status || status.engine === "node") return "Node lab: the listings' TS twins on real TCP sockets.";
  const release = status.kernelRelease ? ` ${status.kernelRelease}` : "";
  switch (status.status) {
    case "available":
      return `Real kernel${release}: ready to boot a VM when you start a module.`;
    case "missing":
      return "Real kernel: not installed on this machine.";
    case "building":
      return "Real kernel: building the modules with kbuild…";
    case "build-failed":
      return "Real kernel: the modules did not compile.";
    case "queued":
      return `Real kernel: every VM is busy; you are number ${status.position ?? "?"} in the queue.`;
    case "booting":
      return `Real kernel${release}: booting the VM…`;
    case "ready":
      return `Real kernel${release}: VM running${status.ms ? ` (booted in ${(status.ms / 1000).toFixed(1)} s)` : ""}.`;
    case "stopped":
      return `Real kernel: the VM stopped (${status.detail ?? "exited"}); the next insmod boots a fresh one.`;
    default:
      return status.status satisfies never;
  }
}

/** Picks the engine that runs the modules: the Node lab (default) or the C itself in a real kernel. */
export function EngineSwitch({ status, variant, events, onSelect, onRestart }: EngineSwitchProps) {
  const engine: Engine = status?.engine ?? "node";
  const real = engine === "real-kernel";
  // The first oops is the listing's bug; later ones (a panic in interrupt context) follow from it.
  const oopses = real ? events.filter((e): e is ServerEventOf<"oops"> => e.type === "oops").slice(-3) : [];
  return (
    <section className="engine-switch" aria-label="Engine">
      <fieldset className="buttons">
        <legend className="visually-hidden">Run the modules in</legend>
        <button type="button" aria-pressed={!real} onClick={() => onSelect("node")}>
          Node lab
        </button>
        <button type="button" aria-pressed={real} onClick={() => onSelect("real-kernel")}>
          Real kernel <code>QEMU</code>
        </button>
        {real && (status?.status === "ready" || status?.status === "stopped") ? (
          <button type="button" onClick={onRestart}>
            Power off VM
          </button>
        ) : null}
      </fieldset>
      <p className="engine-status" role="status">
        {statusWords(status)}
      </p>
      {real && status?.status === "missing" ? (
        <div className="engine-missing">
          <p>
            Install it with <code>{status.installCommand}</code> (as root), then choose “Real kernel” again.
          </p>
          {status.missing?.length ? <p>Missing: {status.missing.join("; ")}</p> : null}
        </div>
      ) : null}
      {real && status?.status === "build-failed" ? <pre className="build-output">{status.detail}</pre> : null}
      {real && variant === "published" ? <PortDiff /> : null}
      {oopses.map((oops) => (
        <OopsPanel key={oops.seq} oops={oops} />
      ))}
    </section>
  );
}
