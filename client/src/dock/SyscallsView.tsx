import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { SyscallLine } from "../../../shared/protocol/syscallMessages.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { CallGroup } from "./SyscallCallGroup.tsx";
import { RealKernelNote } from "./SyscallsRealKernelNote.tsx";
import { linesByCall, looseLines, syscallGroups } from "./syscallGroups.ts";
import "./syscalls.css";

export type SyscallsViewProps = {
  shown: RecordPrefix;
  status: ServerEventOf<"syscalls.status"> | undefined;
  lines: readonly SyscallLine[];
  dropped: number;
  /** The record's position where the traced lab started. */
  from: number | undefined;
  /** The learner looks at the real kernel: modules make no system calls there. */
  realKernel: boolean;
  onTrace: (on: boolean) => void;
};

/** How far back the tab reads the record for calls (it lists MAX_SYSCALL_GROUPS of them). */
const LOOK_BACK_EVENTS = 600;

/**
 * The System calls tab: for each call of the traced lab, the real system calls its process made
 * (strace's lines, placed by the lab's gate), how the TS call maps to them, and the event loop's
 * calls in between. Showing it asks the server to trace this lab (a reset into a worker under
 * strace); on the real kernel it says why there are none and names the kernel functions instead.
 */
export function SyscallsView({
  shown,
  status,
  lines,
  dropped,
  from,
  realKernel,
  onTrace,
}: SyscallsViewProps) {
  const { t } = useTranslation();
  const state = status?.state;
  const asked = useRef(false);
  // Runs when the tab is shown (the dock's hidden panes have no effects): the lab is traced from then on.
  useEffect(() => {
    if (realKernel || asked.current) return;
    asked.current = true;
    onTrace(true);
  }, [realKernel, onTrace]);

  const byCall = useMemo(() => linesByCall(lines), [lines]);
  const loose = useMemo(() => looseLines(lines), [lines]);
  const groups = useMemo(() => {
    if (from === undefined) return [];
    const start = Math.max(from, shown.start, shown.end - LOOK_BACK_EVENTS);
    return syscallGroups(shown.record.slice(start, shown.end), byCall, loose);
  }, [shown, from, byCall, loose]);

  if (realKernel) return <RealKernelNote shown={shown} />;
  const tracing = state === "tracing";
  return (
    <section className="syscalls" aria-label={t("syscalls.region")}>
      <div className="syscalls-head">
        <p className="syscalls-status" role="status">
          {state === "queued"
            ? t("syscalls.queued", { reason: status?.reason ?? "" })
            : state === "unavailable"
              ? t("syscalls.unavailable", { reason: status?.reason ?? "" })
              : state === "failed"
                ? t("syscalls.failed", { reason: status?.reason ?? "" })
                : state === "off"
                  ? t("syscalls.off")
                  : tracing
                    ? t("syscalls.tracing", { mechanism: status?.mechanism ?? "strace" })
                    : t("syscalls.starting")}
        </p>
        {state === "off" || state === "failed" ? (
          <button type="button" onClick={() => onTrace(true)}>
            {t("syscalls.trace")}
          </button>
        ) : tracing ? (
          <button type="button" onClick={() => onTrace(false)}>
            {t("syscalls.stop")}
          </button>
        ) : null}
      </div>
      {dropped > 0 ? <p className="syscalls-note">{t("syscalls.dropped", { count: dropped })}</p> : null}
      {tracing && groups.length === 0 ? <p className="syscalls-note">{t("syscalls.empty")}</p> : null}
      {groups.map((group) => (
        <CallGroup key={group.key} group={group} />
      ))}
    </section>
  );
}
