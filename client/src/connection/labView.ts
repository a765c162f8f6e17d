import type { LabEvent, ModuleState, ServerEventOf } from "../../../shared/protocol/messages.ts";
import { formatDmesg } from "../../../shared/kernelLog/printk.ts";
import type { ModuleName, StepId, Variant } from "../../../shared/protocol/steps.ts";

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

export type ModuleView = {
  state: ModuleState;
  variant?: Variant;
  initResult?: number;
  /** The learner's build the module was loaded from (real kernel); absent: the shipped listing. */
  learnerBuild?: number;
  current?: CurrentStep;
};

/** The call a step event shows its module at; one definition for the whole-list and folded views. */
export function currentStepOf(event: ServerEventOf<"step" | "step.waiting">): CurrentStep {
  return {
    step: event.step,
    variant: event.variant,
    cLine: event.cLine,
    tsLine: event.tsLine,
    phase: event.type === "step.waiting" ? "waiting" : event.phase === "enter" ? "running" : "done",
    result: event.type === "step" ? event.result : null,
    errno: event.type === "step" ? event.errno : undefined,
  };
}

/**
 * The derivations below read a whole event list: they define what each view shows, and the event
 * record's moments (labMoment.ts), folded in one event at a time, must equal them at every moment
 * (test/eventRecord.test.ts). The page reads the moments; these stay as the definitions.
 *
 * What one module looks like after `events`: its load state and the call it is at. A module with a
 * thread can be in two calls at once (the fixed server's thread blocks in accept while init's
 * kthread_run returns): a call that returns then hands "current" back to the one still running.
 */
export function moduleView(events: readonly LabEvent[], module: ModuleName): ModuleView {
  const view: ModuleView = { state: "unloaded" };
  let running: CurrentStep[] = [];
  for (const event of events) {
    if (!("module" in event) || event.module !== module) continue;
    if (event.type === "module.state") {
      view.state = event.state;
      view.variant = event.variant;
      view.initResult = event.initResult;
      view.learnerBuild = event.learnerBuild;
      // A module loading starts afresh; one unloaded keeps no lit line (its exit has run).
      if (event.state === "loading" || event.state === "unloaded") {
        view.current = undefined;
        running = [];
      }
    } else if (event.type === "step" || event.type === "step.waiting") {
      const step = currentStepOf(event);
      if (step.phase === "running") running.push(step);
      if (step.phase === "done") running = running.filter((call) => call.step !== step.step);
      view.current = step.phase === "done" ? (running.at(-1) ?? step) : step;
    }
  }
  return view;
}

/** How the state words are said: the UI passes its language's words (useStateWording). */
export type StateWording = {
  unloaded: string;
  live: string;
  running: string;
  failed: (result: string) => string;
  paused: (step: string) => string;
  blocked: (step: string) => string;
};

/** The module's state in words, as the controls show it ("running — blocked in accept"). */
export function stateWords(view: ModuleView, wording: StateWording): string {
  switch (view.state) {
    case "unloaded":
      return wording.unloaded;
    case "live":
      return wording.live;
    case "failed":
      return wording.failed(String(view.initResult ?? "?"));
    case "loading": {
      const current = view.current;
      if (current?.phase === "waiting") return wording.paused(current.step);
      if (current?.phase === "running") return wording.blocked(current.step);
      return wording.running;
    }
  }
}

/**
 * The kernel log as dmesg shows it, with the shell's insmod/rmmod lines between the records. A real
 * kernel's boot log is every record it printed, or the one line `fold` makes of it.
 */
export function terminalLines(
  events: readonly LabEvent[],
  fold?: (boot: ServerEventOf<"kernel.boot">) => string,
): string[] {
  const lines: string[] = [];
  for (const event of events) {
    if (event.type === "printk") lines.push(formatDmesg(event.t, event.text));
    else if (event.type === "console") lines.push(event.text);
    else if (event.type === "kernel.boot") {
      if (fold) lines.push(fold(event));
      else for (const record of event.records) lines.push(formatDmesg(record.t, record.text));
    }
  }
  return lines;
}

/** The C and TS line of each module's latest printk that names its line. */
export function lastPrintedLines(
  events: readonly LabEvent[],
): Partial<Record<ModuleName, { cLine?: number; tsLine?: number }>> {
  const printed: Partial<Record<ModuleName, { cLine?: number; tsLine?: number }>> = {};
  for (const event of events) {
    if (event.type === "printk" && event.source !== "kernel" && (event.cLine || event.tsLine)) {
      printed[event.source] = { cLine: event.cLine, tsLine: event.tsLine };
    }
  }
  return printed;
}
