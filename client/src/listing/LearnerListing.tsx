import { useTranslation } from "react-i18next";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import type { CurrentStep } from "../connection/labView.ts";
import { type LineTone, Listing } from "./Listing.tsx";
import "./learnerListing.css";

export type LearnerListingProps = {
  module: ModuleName;
  buildId: number;
  /** The C exactly as built. */
  code: string;
  current?: CurrentStep;
  tone?: LineTone;
  printedLine?: number;
  focus?: { line: number };
};

/**
 * A module loaded from the learner's own build: its C with the running line lit (the lines are the
 * build's own, from its DWARF), and in the TS twin's place the reason there is none.
 */
export function LearnerListing({
  module,
  buildId,
  code,
  current,
  tone,
  printedLine,
  focus,
}: LearnerListingProps) {
  const { t } = useTranslation();
  return (
    <div className="compare learner-compare">
      <p className="learner-listing-head" data-testid={`learner-build-${module}`}>
        {t("learnerRun.loaded", { build: buildId, file: `${module}.c` })}
      </p>
      <Listing
        label={`${module}.c`}
        code={code}
        language="c"
        currentLine={current?.cLine}
        tone={tone}
        printedLine={printedLine}
        focus={focus}
      />
      <p className="learner-no-twin" role="note">
        {t("learnerRun.noTwin")}
      </p>
    </div>
  );
}
