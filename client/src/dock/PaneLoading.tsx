import { type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";

/**
 * Where a dock view whose code comes with its tab (React `lazy`, not with the page: P4, the first
 * load's bytes) says it is loading until its chunk is here. A chunk that fails to come is the
 * dock's failed-view error, with its retry.
 */
export function PaneLoading({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return <Suspense fallback={<p role="status">{t("dock.loading")}</p>}>{children}</Suspense>;
}
