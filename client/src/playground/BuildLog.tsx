import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";

/** The latest build's log as gcc words it: its diagnostics, then modpost's and make's errors. */
export function BuildLog({ status }: { status?: ServerEventOf<"learner.build"> }) {
  const { t } = useTranslation();
  if (!status || status.log === undefined) return <p className="build-log-empty">{t("playground.noLog")}</p>;
  return <pre className="build-log">{status.log || t("playground.cleanLog")}</pre>;
}
