import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { SYSCALL_MAPPING } from "../../../shared/content/syscallMapping.ts";
import type { SyscallLine } from "../../../shared/protocol/syscallMessages.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import type { SyscallGroup } from "./syscallGroups.ts";

/**
 * One call of the traced lab in the System calls tab: the TS call, how it maps to system calls,
 * strace's lines for it, and the event loop's lines after it; the current call scrolls into view.
 */
export function CallGroup({ group }: { group: SyscallGroup }) {
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
