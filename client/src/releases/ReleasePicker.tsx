import { useTranslation } from "react-i18next";
import type { ReleaseGroup } from "../../../shared/releases/kernelSeries.ts";
import { type ReleaseHere, releaseOptions } from "./releaseGroups.ts";

export type ReleasePickerProps = {
  selected: string;
  /** The releases the server builds for (hello): absent until it said. */
  here: readonly ReleaseHere[] | undefined;
  onSelect: (series: string) => void;
};

const GROUPS: readonly ReleaseGroup[] = ["runs", "builds", "history"];

/** The kernel release the modules are built for and the VM boots; history ones show listings and diffs. */
export function ReleasePicker({ selected, here, onSelect }: ReleasePickerProps) {
  const { t } = useTranslation();
  const options = releaseOptions(here);
  return (
    <label className="release-picker">
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
  );
}
