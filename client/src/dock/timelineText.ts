import type { TFunction } from "i18next";
import { type LabEvent, assertNever } from "../../../shared/protocol/messages.ts";
import { dmesgStamp } from "../../../shared/kernelLog/printk.ts";

/** One line of the timeline: when (as dmesg stamps it) and what happened, in the learner's language. */
export function describeEvent(event: LabEvent, t: TFunction): string {
  return `${dmesgStamp(event.t)} ${what(event, t)}`;
}

function what(event: LabEvent, t: TFunction): string {
  switch (event.type) {
    case "step": {
      const at = { module: t(`module.${event.module}.name`), step: event.step };
      if (event.phase === "enter") return t("timeline.event.enter", at);
      if (event.result === null) return t("timeline.event.exitVoid", at);
      const result = event.errno ? `${event.result} (${event.errno})` : String(event.result);
      return t("timeline.event.exit", { ...at, result });
    }
    case "step.waiting":
      return t("timeline.event.waiting", { module: t(`module.${event.module}.name`), step: event.step });
    case "printk":
      // The source in words; the printk text itself is what the kernel printed, never translated.
      return t("timeline.event.printk", {
        source: event.source === "kernel" ? t("timeline.kernel") : t(`module.${event.source}.name`),
        text: oneLine(event.text),
      });
    case "console":
      return t("timeline.event.console", { text: event.text });
    case "module.state": {
      const state = t(`timeline.stateNames.${event.state}`);
      const withResult =
        event.state === "failed" || event.initResult ? `${state} (${event.initResult ?? "?"})` : state;
      return t("timeline.event.state", { module: t(`module.${event.module}.name`), state: withResult });
    }
    case "oops":
      return t("timeline.event.oops");
    case "kernel.boot":
      return t("timeline.event.boot", { count: event.records.length });
    case "tcp.state":
      return event.unavailable ?? t("timeline.event.tcp", { count: event.rows.length });
    default:
      return assertNever(event);
  }
}

/** printk text on one line, short enough for a list entry. */
function oneLine(text: string): string {
  const flat = text.replace(/\n+$/, "").replaceAll("\n", " ⏎ ");
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}
