import { useTranslation } from "react-i18next";
import type { RunFile } from "../../../shared/protocol/runFile.ts";
import { formatRecordedDate } from "./recordedDate.ts";
import { runRelease } from "../releases/runRelease.ts";
import { engineRuns, runWords } from "./engineRuns.ts";

export type RecordedRunBannerProps = { run: RunFile; onClose: () => void };

/** Says that the timeline, listings and log show a recorded run, read-only, and the live lab is untouched. */
export function RecordedRunBanner({ run, onClose }: RecordedRunBannerProps) {
  const { t } = useTranslation();
  const date = formatRecordedDate(run.date);
  const engine = run.engine === "node" ? t("engine.node") : t("engine.real");
  const variant = t(`variant.${run.variant}`);
  // A session that switched engines (or booted VM after VM) is labelled run by run, from its events:
  // the file's own engine and variant are only the lab's when it was exported.
  const runs = engineRuns(run.events);
  return (
    <div className="recorded-banner" role="status">
      <p>
        <strong>
          {runs.length > 1 ? (
            t("runs.bannerMixed", {
              date,
              count: runs.length,
              runs: runs.map((r) => runWords(t, r)).join("; "),
            })
          ) : (
            <>
              {t("runFile.banner", { date, variant, engine })}
              {run.kernelRelease ? ` (Linux ${run.kernelRelease})` : ""}
            </>
          )}
        </strong>{" "}
        <span data-testid="run-release">{releaseText(t, run)}</span> {t("runFile.readOnly")}
      </p>
      <button type="button" className="primary" onClick={onClose}>
        {t("runFile.close")}
      </button>
    </div>
  );
}

/** Which release's listings the run is shown with (the file's pick; older files: the lab's default). */
function releaseText(t: (key: string, values: Record<string, string>) => string, run: RunFile): string {
  const { release, edits } = runRelease(run);
  return t(edits ? "runFile.release" : "runFile.releaseEditsOff", { series: release });
}
