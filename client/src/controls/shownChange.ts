import { MODULES } from "../../../shared/protocol/steps.ts";
import type { LabMoment } from "../connection/labMoment.ts";
import type { ModuleView } from "../connection/labView.ts";

/** What a learner sees of one module at a moment: its state words, its lit line and that line's tone. */
function sameModule(a: ModuleView, b: ModuleView): boolean {
  if (a === b) return true;
  const x = a.current;
  const y = b.current;
  const sameLine =
    x === y ||
    (x !== undefined &&
      y !== undefined &&
      x.variant === y.variant &&
      x.cLine === y.cLine &&
      x.tsLine === y.tsLine &&
      x.phase === y.phase &&
      x.result === y.result);
  return sameLine && a.state === b.state && a.variant === b.variant && a.initResult === b.initResult;
}

/**
 * Whether two moments look the same on screen: each module's state, lit line and tone, and the
 * printk pane's records. Step back and Step forward skip a stop that would show nothing new.
 */
export function sameOnScreen(a: LabMoment, b: LabMoment): boolean {
  return a.terminal === b.terminal && MODULES.every((m) => sameModule(a.modules[m], b.modules[m]));
}
