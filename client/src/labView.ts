import type { LabEvent, ModuleState } from "../../shared/protocol.ts";
import { formatDmesg } from "../../shared/printk.ts";
import type { ModuleName, StepId, Variant } from "../../shared/steps.ts";

export type CurrentStep = {
  step: StepId;
  variant: Variant;
  cLine: number;
  tsLine: number;
  /** waiting: held by step mode; running: entered and not returned yet; done: returned. */
  phase: "waiting" | "running" | "done";
  result: number | null;
  errno?: string;
};

export type ModuleView = { state: ModuleState; variant?: Variant; initResult?: number; current?: CurrentStep };

/** What one module looks like after `events`: its load state and the call it is at. */
export function moduleView(events: readonly LabEvent[], module: ModuleName): ModuleView {
  const view: ModuleView = { state: "unloaded" };
  for (const event of events) {
    if (!("module" in event) || event.module !== module) continue;
    if (event.type === "module.state") {
      view.state = event.state;
      view.variant = event.variant;
      view.initResult = event.initResult;
      if (event.state === "loading") view.current = undefined;
    } else if (event.type === "step" || event.type === "step.waiting") {
      view.current = {
        step: event.step,
        variant: event.variant,
        cLine: event.cLine,
        tsLine: event.tsLine,
        phase: event.type === "step.waiting" ? "waiting" : event.phase === "enter" ? "running" : "done",
        result: event.type === "step" ? event.result : null,
        errno: event.type === "step" ? event.errno : undefined,
      };
    }
  }
  return view;
}

/** The module's state in words, as the controls show it ("running — blocked in accept"). */
export function stateWords(view: ModuleView): string {
  switch (view.state) {
    case "unloaded":
      return "not loaded";
    case "live":
      return "loaded";
    case "failed":
      return `failed (${view.initResult ?? "?"})`;
    case "loading": {
      const current = view.current;
      if (current?.phase === "waiting") return `running — paused before ${current.step}`;
      if (current?.phase === "running") return `running — blocked in ${current.step}`;
      return "running";
    }
  }
}

/** The kernel log as dmesg shows it, with the shell's insmod/rmmod lines between the records. */
export function terminalLines(events: readonly LabEvent[]): string[] {
  const lines: string[] = [];
  for (const event of events) {
    if (event.type === "printk") lines.push(formatDmesg(event.t, event.text));
    else if (event.type === "console") lines.push(event.text);
  }
  return lines;
}
