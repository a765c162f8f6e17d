import { useTranslation } from "react-i18next";
import type { Notice } from "./labConnection.ts";

export type NoticesProps = { notices: readonly Notice[]; onDismiss: (id: number) => void };

/** Errors the server reported (a refused command, a malformed message): said plainly, dismissable. */
export function Notices({ notices, onDismiss }: NoticesProps) {
  const { t } = useTranslation();
  if (notices.length === 0) return null;
  return (
    <ul className="notices" role="alert">
      {notices.map((notice) => (
        <li key={notice.id}>
          <span>{notice.message}</span>
          <button type="button" onClick={() => onDismiss(notice.id)}>
            {t("notices.dismiss")}
          </button>
        </li>
      ))}
    </ul>
  );
}
