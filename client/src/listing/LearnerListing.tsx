import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import { Listing } from "./Listing.tsx";
import "./learnerListing.css";

export type LearnerListingProps = {
  module: ModuleName;
  buildId: number;
  /** The C exactly as built. */
  code: string;
  focus?: { line: number };
};

/**
 * A module loaded from the learner's own build: its C with the running line lit (the lines are the
 * build's own, from its DWARF, lit while the module runs this build), and in the TS twin's place
 * the reason there is none.
 */
export function LearnerListing({ module, buildId, code, focus }: LearnerListingProps) {
  const { t } = useTranslation();
  const lit = useMemo(() => ({ module, side: "c" as const, build: buildId }), [module, buildId]);
  return (
    <div className="compare learner-compare">
      <p className="learner-listing-head" data-testid={`learner-build-${module}`}>
        {t("learnerRun.loaded", { build: buildId, file: `${module}.c` })}
      </p>
      <Listing label={`${module}.c`} code={code} language="c" lit={lit} focus={focus} />
      <p className="learner-no-twin" role="note">
        {t("learnerRun.noTwin")}
      </p>
    </div>
  );
}
