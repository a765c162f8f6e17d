import type { TFunction } from "i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import { dmesgStamp } from "../../../shared/kernelLog/printk.ts";
import { visibleText } from "../../../shared/kernelLog/visibleText.ts";

/** SGR faint: the folded line is the pane's own note, not a record the kernel printed. */
const FAINT = "\x1b[2m";
const RESET = "\x1b[0m";

/**
 * The one line a real kernel's boot log folds into in the printk pane: the span of the kernel's own
 * stamps it covers, how many records, and how to read them.
 */
export function foldBootLog(t: TFunction, boot: ServerEventOf<"kernel.boot">): string {
  const first = boot.records[0]?.t ?? boot.t;
  const range = `${dmesgStamp(first).slice(0, -1)} … ${dmesgStamp(boot.t).slice(1).trimStart()}`;
  const text = t("engine.boot.folded", { range, release: boot.release ?? "", count: boot.records.length });
  // The release comes from the run (an opened file, too): only the pane's own escapes act.
  return `${FAINT}${visibleText(text)}${RESET}`;
}
