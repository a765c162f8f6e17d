import { useTranslation } from "react-i18next";
import type { ReleaseGroup } from "../../../shared/releases/kernelSeries.ts";
import { type ReleaseHere, releaseOptions } from "./releaseGroups.ts";

export type ReleasePickerProps = {
  selected: string;
  /** The releases the server builds for (hello): absent until it said. */
  here: readonly ReleaseHere[] | undefined;
  onSelect: (series: string) => void;
  /** Whether the release's edits are applied to the listings built for it. */
  edits: boolean;
  onEdits: (on: boolean) => void;
};

const GROUPS: readonly ReleaseGroup[] = ["runs", "builds", "history"];

/** The kernel release the modules are built for and the VM boots; history ones show listings and diffs. */
export function ReleasePicker({ selected, here, onSelect, edits, onEdits }: ReleasePickerProps) {
  const { t } = useTranslation();
  const options = releaseOptions(here);
  const picked = options.find((o) => o.series === selected);
  return (
    <div className="release-picker">
      <label>
        <span>{t("releases.label")}</span>
        <select value={selected} onChange={(e) => onSelect(e.target.value)} data-testid="release-picker">
          {GROUPS.map((group) => {
            const inGroup = options.filter((o) => o.group === group);
            if (inGroup.length === 0) return null;
            return (
              <optgroup key={group} label={t(`releases.group.${group}`)}>
                {inGroup.map((o) => (
                  <option key={o.series} value={o.series}>
                    {o.release ? `${o.series} (${o.release})` : o.series}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={edits} onChange={(e) => onEdits(e.target.checked)} />{" "}
        {t("releases.edits")}
      </label>
      {picked?.group === "history" ? (
        <p className="release-not-here">{t("releases.notHere", { series: selected })}</p>
      ) : null}
      {picked?.group === "builds" ? (
        <p className="release-not-here">{t("releases.buildsOnly", { series: selected })}</p>
      ) : null}
    </div>
  );
}
