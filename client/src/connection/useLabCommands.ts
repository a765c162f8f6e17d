import { useMemo } from "react";
import type { Engine } from "../../../shared/protocol/engineMessages.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { LabConnection } from "./labConnection.ts";

/** Everything the page can ask of the lab, by name; each does nothing until the socket exists. */
export type LabCommands = {
  /** `build`: the learner's own build of the module (real kernel). */
  load: (module: ModuleName, build?: number) => void;
  unload: (module: ModuleName) => void;
  step: (module: ModuleName) => void;
  continueModule: (module: ModuleName) => void;
  setStepMode: (enabled: boolean) => void;
  selectVariant: (variant: Variant) => void;
  selectEngine: (engine: Engine) => void;
  restartEngine: () => void;
  resetLab: () => void;
  occupyPort: () => void;
  freePort: () => void;
  dismissNotice: (id: number) => void;
};

/**
 * The lab's commands as stable functions, so the views take callbacks instead of the connection:
 * `onStart` runs after a module is asked to load (the narrow layout shows its code and the log).
 */
export function useLabCommands(
  connection: LabConnection | null,
  onStart?: (module: ModuleName) => void,
): LabCommands {
  return useMemo(
    () => ({
      load: (module, build) => {
        connection?.send({ type: "module.load", module, ...(build === undefined ? {} : { build }) });
        onStart?.(module);
      },
      unload: (module) => connection?.send({ type: "module.unload", module }),
      step: (module) => connection?.send({ type: "step.next", module }),
      continueModule: (module) => connection?.send({ type: "step.continue", module }),
      setStepMode: (enabled) => connection?.send({ type: "stepMode.set", enabled }),
      selectVariant: (variant) => connection?.send({ type: "variant.select", variant }),
      selectEngine: (engine) => connection?.send({ type: "engine.select", engine }),
      restartEngine: () => connection?.send({ type: "engine.restart" }),
      resetLab: () => connection?.send({ type: "lab.reset" }),
      occupyPort: () => connection?.send({ type: "port.occupy" }),
      freePort: () => connection?.send({ type: "port.free" }),
      dismissNotice: (id) => connection?.dismiss(id),
    }),
    [connection, onStart],
  );
}
