import type { LabEvent } from "../../../shared/protocol/messages.ts";
import type { SyscallLine } from "../../../shared/protocol/syscallMessages.ts";
import type { ModuleName, StepId } from "../../../shared/protocol/steps.ts";

/** One call of a module as the System calls tab shows it: its system calls, then the event loop's until the next call. */
export type SyscallGroup = {
  key: string;
  module: ModuleName;
  step: StepId;
  /** The call's enter event's `t`: the lines' `stepAt`. */
  t: number;
  lines: readonly SyscallLine[];
  /** Lines made between this call and the next (event loop, unreadable lines). */
  after: readonly SyscallLine[];
  /** The call the listings show now. */
  current: boolean;
};

/** The most calls the tab lists: the latest ones up to the moment shown. */
export const MAX_SYSCALL_GROUPS = 40;

const keyOf = (module: string, step: string, t: number) => `${module}:${step}:${t}`;

/** The lines of each call, by the call's key (module, step and enter time). */
export function linesByCall(lines: readonly SyscallLine[]): Map<string, SyscallLine[]> {
  const byCall = new Map<string, SyscallLine[]>();
  for (const line of lines) {
    if (line.stepAt === undefined || !line.module || !line.step) continue;
    const key = keyOf(line.module, line.step, line.stepAt);
    const list = byCall.get(key);
    if (list) list.push(line);
    else byCall.set(key, [line]);
  }
  return byCall;
}

/**
 * The calls among `events` (the shown part of the traced lab's record), each with its lines, the
 * event loop's lines placed after the call they followed, and the current call marked: the one
 * the last step event shown belongs to. Lines after the moment shown are left out (Step back).
 */
export function syscallGroups(
  events: readonly LabEvent[],
  byCall: ReadonlyMap<string, readonly SyscallLine[]>,
  loose: readonly SyscallLine[],
): SyscallGroup[] {
  const enters = events.filter(
    (e): e is Extract<LabEvent, { type: "step" }> => e.type === "step" && e.phase === "enter",
  );
  const lastStep = events.findLast((e) => e.type === "step");
  const until = events.at(-1)?.t ?? 0;
  let currentKey: string | undefined;
  if (lastStep?.type === "step") {
    const enter = enters.findLast(
      (e) => e.module === lastStep.module && e.step === lastStep.step && e.seq <= lastStep.seq,
    );
    if (enter) currentKey = keyOf(enter.module, enter.step, enter.t);
  }
  const groups = enters.slice(-MAX_SYSCALL_GROUPS).map((e) => {
    const key = keyOf(e.module, e.step, e.t);
    return {
      key,
      module: e.module,
      step: e.step,
      t: e.t,
      lines: byCall.get(key) ?? [],
      after: [] as SyscallLine[],
      current: key === currentKey,
    };
  });
  const first = groups[0];
  if (!first) return groups;
  let at = 0;
  for (const line of loose) {
    if (line.t < first.t || line.t > until) continue;
    while (at + 1 < groups.length && (groups[at + 1]?.t ?? Infinity) <= line.t) at++;
    groups[at]?.after.push(line);
  }
  return groups;
}

/** Lines that belong to no call: the event loop's between calls, and lines strace printed that could not be read. */
export function looseLines(lines: readonly SyscallLine[]): SyscallLine[] {
  return lines.filter((line) => line.stepAt === undefined);
}
