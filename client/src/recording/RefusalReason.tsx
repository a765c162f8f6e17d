import { useTranslation } from "react-i18next";
import type { RunFileRefusal } from "../../../shared/protocol/runFile.ts";

const MIB = 1024 * 1024;

/** Why Open run refused a file, in the reader's language (a malformed file's detail is the parser's English). */
export function RefusalReason({ refusal }: { refusal: RunFileRefusal }) {
  const { t } = useTranslation();
  switch (refusal.reason) {
    case "too-big":
      return <>{t("runFile.reason.tooBig", { size: (refusal.bytes / MIB).toFixed(1) })}</>;
    case "not-json":
      return <>{t("runFile.reason.notJson")}</>;
    case "foreign":
      return <>{t("runFile.reason.foreign")}</>;
    case "newer":
      return <>{t("runFile.reason.newer", { version: refusal.version })}</>;
    case "malformed":
      return (
        <>
          {t("runFile.reason.malformed")} <code lang="en">{refusal.detail}</code>
        </>
      );
  }
}
