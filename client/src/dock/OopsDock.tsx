import { useTranslation } from "react-i18next";
import { OopsPanel } from "../realKernel/OopsPanel.tsx";
import type { OopsDockState } from "./useOopsDock.ts";
import "./oopsDock.css";

/**
 * The dock's oops tab: every oops the real kernel reported, newest first, each marked with the VM
 * it came from, so the listings above stay whole however many oopses there were.
 */
export function OopsDock({ oops }: { oops: OopsDockState }) {
  const { t } = useTranslation();
  return (
    <section className="oops-dock" aria-label={t("oopsDock.region")}>
      <p className="oops-dock-note">{t("oopsDock.note", { count: oops.entries.length })}</p>
      {oops.entries.map((entry) => (
        <OopsPanel key={entry.event.seq} entry={entry} onShowLine={oops.showLine} onDismiss={oops.dismiss} />
      ))}
    </section>
  );
}
