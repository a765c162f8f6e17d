import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { SYSCALL_MAPPING } from "../../../shared/content/syscallMapping.ts";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { SyscallLine } from "../../../shared/protocol/syscallMessages.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { linesByCall, looseLines, type SyscallGroup, syscallGroups } from "./syscallGroups.ts";
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

function CallGroup({ group }: { group: SyscallGroup }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const mapping = SYSCALL_MAPPING[group.step];
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (group.current) ref.current?.scrollIntoView({ block: "nearest" });
  }, [group.current]);
  return (
    <section
      ref={ref}
      className="syscall-call"
      data-module={group.module}
      data-step={group.step}
      aria-current={group.current ? "true" : undefined}
      aria-label={`${group.module} ${group.step}`}
    >
      <h3 className="syscall-call-title">
        <span className="syscall-module">{group.module}</span> {group.step}
        <span className="syscall-node">
          {" "}
          — {mapping.node}:{" "}
          {group.lines.length === 0 ? t("syscalls.none") : t("syscalls.count", { count: group.lines.length })}
        </span>
      </h3>
      <p className="syscalls-note">{mapping.maps[language]}</p>
      <Lines lines={group.lines} />
      {group.after.length > 0 ? <LoopLines lines={group.after} /> : null}
    </section>
  );
}

function LoopLines({ lines }: { lines: readonly SyscallLine[] }) {
  const { t } = useTranslation();
  const during = lines.find((line) => line.during)?.during;
  return (
    <div className="syscall-loop">
      <p className="syscalls-note">
        {during ? t("syscalls.loopDuring", { module: during.module, step: during.step }) : t("syscalls.loop")}
      </p>
      <Lines lines={lines} />
    </div>
  );
}

function Lines({ lines }: { lines: readonly SyscallLine[] }) {
  const { t } = useTranslation();
  if (lines.length === 0) return null;
  return (
    <ol className="syscall-lines">
      {lines.map((line, i) => (
        // Lines never move once listed: their place is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: a list that only grows at its end
        <li key={i} className={line.raw ? "syscall-raw" : line.loop ? "syscall-loop-line" : undefined}>
          <code>{line.text}</code>
          {line.raw ? <span className="syscalls-note"> ({t("syscalls.unread")})</span> : null}
        </li>
      ))}
    </ol>
  );
}

function RealKernelNote({ shown }: { shown: RecordPrefix }) {
  const { t } = useTranslation();
  const last = shown.record
    .slice(Math.max(shown.start, shown.end - 50), shown.end)
    .findLast((e) => e.type === "step");
  const steps =
    last?.type === "step" ? [last.step] : (Object.keys(SYSCALL_MAPPING) as (keyof typeof SYSCALL_MAPPING)[]);
  return (
    <section className="syscalls" aria-label={t("syscalls.region")}>
      <h3 className="syscall-call-title">{t("syscalls.realTitle")}</h3>
      <p className="syscalls-note">{t("syscalls.real")}</p>
      <ul className="syscall-lines">
        {steps.map((step) => (
          <li key={step}>
            {t("syscalls.realCall", { call: step })} <code>{SYSCALL_MAPPING[step].kernel.join(" → ")}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
