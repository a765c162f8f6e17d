/**
 * Why one file over 120 lines: it is one component (SocketStates, ~90 lines) and the order of
 * interest it sorts by. The table, its "Show all" fold and the notes under it all read the same
 * sorted snapshot and the one fold state; split, each part would take the snapshot again as props
 * for nothing a reader or a test gains.
 */
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { TcpRow } from "../../../shared/protocol/tcpStateMessages.ts";
import { TCP_STATE_WORDS } from "../../../shared/content/tcpStateWords.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { endpointText, roleOf, type TcpStateEvent } from "./socketRows.ts";

export type SocketStatesProps = {
  /** The latest tcp.state event, or undefined while the lab has not been active yet. */
  snapshot: TcpStateEvent | undefined;
  labPort: number | undefined;
};

/** Rows listed before "Show all": enough for a run's listener, its connection and a few leaked sockets. */
const SHOWN_ROWS = 8;

/** A run's live sockets (listening, connecting, connected) before the leaked and closing ones. */
const STATE_ORDER: Partial<Record<TcpRow["state"], number>> = {
  LISTEN: 0,
  SYN_SENT: 1,
  SYN_RECV: 1,
  ESTABLISHED: 2,
  FIN_WAIT1: 3,
  FIN_WAIT2: 3,
  CLOSING: 3,
  LAST_ACK: 3,
  TIME_WAIT: 4,
  CLOSE_WAIT: 5,
};

function byInterest(a: TcpRow, b: TcpRow): number {
  return (STATE_ORDER[a.state] ?? 6) - (STATE_ORDER[b.state] ?? 6);
}

/**
 * The kernel's own table of the lab's sockets (/proc/net/tcp and tcp6), as the server last read
 * it: what `ss -tan` would show, with each state in words and the notes a state calls for.
 */
export function SocketStates({ snapshot, labPort }: SocketStatesProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const [showAll, setShowAll] = useState(false);
  const all = snapshot?.rows ?? [];
  const states = new Set(all.map((r) => r.state));
  // The published client leaks a CLOSE_WAIT socket per run: a long session's table would grow with
  // it. The rows a run is about come first, and past SHOWN_ROWS the rest waits for "Show all".
  const ordered = all.length > SHOWN_ROWS ? [...all].sort(byInterest) : all;
  const rows = showAll ? ordered : ordered.slice(0, SHOWN_ROWS);
  const hidden = ordered.length - rows.length;
  return (
    <section className="truth-pane socket-states" aria-label={t("sockets.region")}>
      <h2 className="pane-title">{t("sockets.title")}</h2>
      {snapshot?.unavailable ? (
        <p className="truth-note" role="status">
          {/* The server's reason is in English, and marked so. */}
          <Trans
            i18nKey="sockets.unavailable"
            values={{ reason: snapshot.unavailable }}
            components={[<span key="reason" lang="en" />]}
          />
        </p>
      ) : !snapshot ? (
        <p className="truth-note">{t("sockets.idle")}</p>
      ) : rows.length === 0 ? (
        <p className="truth-note">{t("sockets.none", { port: labPort ? ` ${labPort}` : "" })}</p>
      ) : (
        <table className="socket-table">
          <caption className="visually-hidden">{t("sockets.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("sockets.columns.socket")}</th>
              <th scope="col">{t("sockets.columns.local")}</th>
              <th scope="col">{t("sockets.columns.remote")}</th>
              <th scope="col">{t("sockets.columns.state")}</th>
              <th scope="col">{t("sockets.columns.recvQ")}</th>
              <th scope="col">{t("sockets.columns.sendQ")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const role = labPort === undefined ? undefined : roleOf(row, labPort);
              return (
                <tr
                  key={`${row.family} ${row.local.port} ${row.remote.port} ${row.state}`}
                  className={`tcp-${row.state.toLowerCase()}`}
                >
                  <td>
                    {role ? t(`sockets.roles.${role}`) : "—"}
                    {row.inode === 0 ? <span className="orphan">{t("sockets.orphan")}</span> : null}
                  </td>
                  <td>
                    <code>{endpointText(row.local)}</code>
                  </td>
                  <td>
                    <code>{endpointText(row.remote)}</code>
                  </td>
                  <td>
                    <strong className="tcp-state">{row.state}</strong>{" "}
                    <span className="tcp-state-words">{TCP_STATE_WORDS[row.state][language]}</span>
                  </td>
                  <td className="num">{row.rxQueue}</td>
                  <td className="num">{row.txQueue}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {hidden > 0 || showAll ? (
        <p className="truth-note">
          {hidden > 0 ? `${t("sockets.folded", { count: hidden })} ` : null}
          <button type="button" aria-expanded={showAll} onClick={() => setShowAll((shown) => !shown)}>
            {showAll ? t("sockets.showFewer") : t("sockets.showAll", { count: ordered.length })}
          </button>
        </p>
      ) : null}
      {snapshot?.omitted ? (
        <p className="truth-note">{t("sockets.omitted", { count: snapshot.omitted })}</p>
      ) : null}
      {states.has("LISTEN") ? <p className="truth-note">{t("sockets.listen")}</p> : null}
      {states.has("CLOSE_WAIT") ? <p className="truth-note">{t("sockets.closeWait")}</p> : null}
      {states.has("FIN_WAIT2") ? <p className="truth-note">{t("sockets.finWait2")}</p> : null}
      {states.has("TIME_WAIT") ? <p className="truth-note">{t("sockets.timeWait")}</p> : null}
    </section>
  );
}
