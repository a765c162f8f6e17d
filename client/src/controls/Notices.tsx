import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Notice } from "../connection/labConnection.ts";

export type NoticesProps = { notices: readonly Notice[]; onDismiss: (id: number) => void };

/** Codes whose message carries a detail (an address, an error) worth showing after the translated words. */
const WITH_DETAIL = new Set(["bad-message", "unknown-command", "refused", "internal"]);

/** Whole seconds until `endsAt`, renewed every second while shown (the timer is this component's). */
function useSecondsLeft(endsAt: number): number {
  const left = () => Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    const tick = () => setSeconds(Math.max(0, Math.ceil((endsAt - Date.now()) / 1000)));
    tick();
    const every = setInterval(tick, 1000);
    return () => clearInterval(every);
  }, [endsAt]);
  return seconds;
}

/**
 * The drain's notice, counting down between the server's renewals (every 30 s). A timer region is
 * not live: the alert is read out when it appears, not once a second.
 */
function CountdownText({ endsAt }: { endsAt: number }) {
  const { t } = useTranslation();
  const seconds = useSecondsLeft(endsAt);
  return <span role="timer">{t("notices.draining", { seconds })}</span>;
}

/**
 * The notice in the reader's language: the server and the connection word it in English, and the
 * locale says it by its code where it has words of its own (an empty string keeps the message).
 */
function NoticeText({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  if (notice.code === "draining" && notice.endsAt !== undefined)
    return <CountdownText endsAt={notice.endsAt} />;
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
