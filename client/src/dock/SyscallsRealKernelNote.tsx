import { useTranslation } from "react-i18next";
import { SYSCALL_MAPPING } from "../../../shared/content/syscallMapping.ts";
import type { RecordPrefix } from "../connection/eventRecord.ts";

/** The System calls tab on the real kernel: modules make no system calls there; the kernel functions each call runs instead. */
export function RealKernelNote({ shown }: { shown: RecordPrefix }) {
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
