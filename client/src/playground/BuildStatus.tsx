import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";

export type BuildStatusProps = { status?: ServerEventOf<"learner.build">; refused?: string };

/** Where the learner's build is, in one line a screen reader announces. */
export function BuildStatus({ status, refused }: BuildStatusProps) {
  const { t } = useTranslation();
  const seconds = status?.ms !== undefined ? (status.ms / 1000).toFixed(1) : "";
  let text = refused ?? "";
  if (!refused && status) {
    switch (status.status) {
      case "queued":
        text = t("playground.status.queued", { position: status.position ?? 1 });
        break;
      case "building":
        text = t("playground.status.building");
        break;
      case "built":
        text = t("playground.status.built", { seconds });
        break;
      case "failed":
        text =
          status.failure === "limit"
            ? t("playground.status.limit", { limit: t(`playground.limit.${status.limit ?? "wall-time"}`) })
            : t(`playground.status.${status.failure ?? "compile"}`, { seconds });
        break;
    }
  }
  return (
    <span className={`build-status build-status-${status?.status ?? "none"}`} role="status">
      {text}
    </span>
  );
}
