import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { foldBootLog } from "./bootLog.ts";

export type RealKernelView = {
  /** The learner runs the modules in the real kernel. */
  real: boolean;
  /** How the printk pane shows a boot log: folded into one line (a function), or every record (undefined). */
  fold?: (boot: ServerEventOf<"kernel.boot">) => string;
  /** The boot log's toggle, once a real kernel has booted. */
  boot?: { records: number; shown: boolean; onToggle: () => void };
  /** The C line of `module` an oops' function was picked for, while the real kernel is the engine. */
  focusFor: (module: ModuleName) => { line: number } | undefined;
  showLine: (module: ModuleName, line: number) => void;
};

/** The UI state that only the real-kernel engine has: its folded boot log and its oops' links. */
export function useRealKernelView(
  engine: ServerEventOf<"engine"> | undefined,
  /** Boot log records the shown moment holds. */
  bootRecords: number,
): RealKernelView {
  const { t } = useTranslation();
  const real = engine?.engine === "real-kernel";
  const [bootShown, setBootShown] = useState(false);
  // A new object per pick, so picking the same function again brings its line back into view.
  const [focus, setFocus] = useState<{ module: ModuleName; line: number } | undefined>();
  const fold = useCallback((boot: ServerEventOf<"kernel.boot">) => foldBootLog(t, boot), [t]);
  const onToggle = useCallback(() => setBootShown((shown) => !shown), []);
  const showLine = useCallback((module: ModuleName, line: number) => setFocus({ module, line }), []);
  return {
    real,
    fold: bootShown ? undefined : fold,
    boot: bootRecords > 0 ? { records: bootRecords, shown: bootShown, onToggle } : undefined,
    focusFor: (module) => (real && focus?.module === module ? focus : undefined),
    showLine,
  };
}
