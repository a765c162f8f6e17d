import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import "./portHolder.css";

export type PortHolderNoteProps = {
  holder: ServerEventOf<"port.holder"> | undefined;
  /** The server module failed (its bind's -98): the note is about this failure, not an old one. */
  serverFailed: boolean;
};

/** The page again, asking the server for a lab on a free port (the port another program holds is skipped). */
function moveToFreePort(): void {
  const url = new URL(window.location.href);
  url.searchParams.set("port", "free");
  window.location.assign(url);
}

/**
 * Says whose port it is when the server's bind met EADDRINUSE and the holder is not this lab: another
 * program on this machine, named when its process could be read. Reset cannot free it; moving the
 * lab to a free port can. The lesson's own Occupy port experiment is this lab's, and says nothing here.
 */
export function PortHolderNote({ holder, serverFailed }: PortHolderNoteProps) {
  const { t } = useTranslation();
  if (!holder?.outside || !serverFailed) return null;
  return (
    <section className="port-holder" aria-label={t("portHolder.region")} role="alert">
      <p>
        {holder.pid !== undefined
          ? t("portHolder.named", { port: holder.port, pid: holder.pid })
          : t("portHolder.unnamed", { port: holder.port })}
        {holder.command ? (
          <>
            {" "}
            <code lang="en">{holder.command}</code>
          </>
        ) : null}
      </p>
      <p>{t("portHolder.why")}</p>
      <button type="button" className="primary" onClick={moveToFreePort}>
        {t("portHolder.move")}
      </button>
    </section>
  );
}
