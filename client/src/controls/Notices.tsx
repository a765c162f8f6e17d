import { useTranslation } from "react-i18next";
import type { Notice } from "../connection/labConnection.ts";

export type NoticesProps = { notices: readonly Notice[]; onDismiss: (id: number) => void };

/** Codes whose message carries a detail (an address, an error) worth showing after the translated words. */
const WITH_DETAIL = new Set(["bad-message", "unknown-command", "refused", "internal"]);

/**
 * The notice in the reader's language: the server and the connection word it in English, and the
 * locale says it by its code where it has words of its own (an empty string keeps the message).
 */
function NoticeText({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const key = `notices.codes.${notice.code}`;
  const said = i18n.exists(key) ? t(key) : "";
  if (!said) return <span>{notice.message}</span>;
  return (
    <span>
      {said}
      {WITH_DETAIL.has(notice.code) ? (
        <>
          {" "}
          <code className="notice-detail" lang="en">
            {notice.message}
          </code>
        </>
      ) : null}
    </span>
  );
}

/** Errors the server reported (a refused command, a malformed message): said plainly, dismissable. */
export function Notices({ notices, onDismiss }: NoticesProps) {
  const { t } = useTranslation();
  if (notices.length === 0) return null;
  return (
    <ul className="notices" role="alert">
      {notices.map((notice) => (
        <li key={notice.id}>
          <NoticeText notice={notice} />
          <button type="button" onClick={() => onDismiss(notice.id)}>
            {t("notices.dismiss")}
          </button>
        </li>
      ))}
    </ul>
  );
}
