import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import { foldBootLog } from "./bootLog.ts";

export type RealKernelView = {
  /** The learner runs the modules in the real kernel. */
  real: boolean;
  /** How the printk pane shows a boot log: folded into one line (a function), or every record (undefined). */
  fold?: (boot: ServerEventOf<"kernel.boot">) => string;
  /** The boot log's toggle, once a real kernel has booted. */
  boot?: { records: number; shown: boolean; onToggle: () => void };
};

/** The UI state that only the real-kernel engine has: its folded boot log (its oopses: dock/useOopsDock.ts). */
export function useRealKernelView(
  engine: ServerEventOf<"engine"> | undefined,
  /** Boot log records the shown moment holds. */
  bootRecords: number,
): RealKernelView {
  const { t } = useTranslation();
  const real = engine?.engine === "real-kernel";
  const [bootShown, setBootShown] = useState(false);
  const fold = useCallback((boot: ServerEventOf<"kernel.boot">) => foldBootLog(t, boot), [t]);
  const onToggle = useCallback(() => setBootShown((shown) => !shown), []);
  return {
    real,
    fold: bootShown ? undefined : fold,
    boot: bootRecords > 0 ? { records: bootRecords, shown: bootShown, onToggle } : undefined,
  };
}
