import { useTranslation } from "react-i18next";
import { MODULES } from "../../../shared/protocol/steps.ts";
import { type ModuleView, stateWords } from "../connection/labView.ts";
import { useStateWording } from "./useStateWording.ts";

export type PastBannerProps = {
  /** 0-based index of the event looked at, and how many events the live lab has. */
  index: number;
  total: number;
  /** The modules as they were at that moment. */
  views: Readonly<Record<(typeof MODULES)[number], ModuleView>>;
  onBackToLive: () => void;
};

/** Says plainly that the past is only being looked at: no socket call was undone. */
export function PastBanner({ index, total, views, onBackToLive }: PastBannerProps) {
  const { t } = useTranslation();
  const wording = useStateWording();
  return (
    <div className="past-banner" role="status">
      <p>{t("timeline.pastBanner", { n: index + 1, total })}</p>
      <p className="past-states">
        {t("timeline.atThatMoment")}:{" "}
        {MODULES.map(
          (module) => `${t(`module.${module}.name`)} — ${stateWords(views[module], wording)}`,
        ).join(" · ")}
      </p>
      <button type="button" className="primary" onClick={onBackToLive}>
        {t("timeline.live")}
      </button>
    </div>
  );
}
