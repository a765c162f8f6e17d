import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { StateWording } from "../connection/labView.ts";

/** The state words in the language shown ("not loaded", "未加载"). */
export function useStateWording(): StateWording {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      unloaded: t("state.unloaded"),
      live: t("state.live"),
      running: t("state.running"),
      failed: (result) => t("state.failed", { result }),
      paused: (step) => t("state.paused", { step }),
      blocked: (step) => t("state.blocked", { step }),
    }),
    [t],
  );
}
