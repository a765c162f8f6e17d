import { TCP_STATE_WORDS } from "../../shared/tcpStates.ts";
import { endpointText, ROLE_WORDS, roleOf, type TcpStateEvent } from "./socketRows.ts";

export type SocketStatesProps = {
  /** The latest tcp.state event, or undefined while the lab has not been active yet. */
  snapshot: TcpStateEvent | undefined;
  labPort: number | undefined;
};

/**
 * The kernel's own table of the lab's sockets (/proc/net/tcp and tcp6), as the server last read
 * it: what `ss -tan` would show, with each state in words and the notes a state calls for.
 */
export function SocketStates({ snapshot, labPort }: SocketStatesProps) {
  const rows = snapshot?.rows ?? [];
  const states = new Set(rows.map((r) => r.state));
  return (
    <section className="truth-pane socket-states" aria-label="Socket states">
      <h2 className="pane-title">Socket states — the kernel's /proc/net/tcp</h2>
      {snapshot?.unavailable ? (
        <p className="truth-note" role="status">
          {snapshot.unavailable}. The pane has nothing to show on this system.
        </p>
      ) : !snapshot ? (
        <p className="truth-note">Idle: the lab reads the kernel's table only while a module is loaded or one of its sockets is open.</p>
      ) : rows.length === 0 ? (
        <p className="truth-note">No socket uses the lab's port{labPort ? ` ${labPort}` : ""}.</p>
      ) : (
        <table className="socket-table">
          <caption className="visually-hidden">TCP sockets on the lab's port, as the kernel lists them</caption>
          <thead>
            <tr>
              <th scope="col">Socket</th>
              <th scope="col">Local</th>
              <th scope="col">Remote</th>
              <th scope="col">State</th>
              <th scope="col">Recv-Q</th>
              <th scope="col">Send-Q</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const role = labPort === undefined ? undefined : roleOf(row, labPort);
              return (
                <tr key={`${row.family} ${row.local.port} ${row.remote.port} ${row.state}`} className={`tcp-${row.state.toLowerCase()}`}>
                  <td>
                    {role ? ROLE_WORDS[role] : "—"}
                    {row.inode === 0 ? <span className="orphan"> (no socket owns it now)</span> : null}
                  </td>
                  <td>
                    <code>{endpointText(row.local)}</code>
                  </td>
                  <td>
                    <code>{endpointText(row.remote)}</code>
                  </td>
                  <td>
                    <strong className="tcp-state">{row.state}</strong> <span className="tcp-state-words">{TCP_STATE_WORDS[row.state]}</span>
                  </td>
                  <td className="num">{row.rxQueue}</td>
                  <td className="num">{row.txQueue}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {states.has("LISTEN") ? (
        <p className="truth-note">
          A listener's Recv-Q counts connections waiting for accept. It stays 0 here: Node accepts each connection as soon as the
          kernel queues it, and the lab holds it until the module's accept step.
        </p>
      ) : null}
      {states.has("CLOSE_WAIT") ? (
        <p className="truth-note">
          CLOSE_WAIT: the peer closed its side (its FIN arrived), and this socket waits for its owner to close it — only sock_release
          does. The published client.c never calls it: on a real kernel that socket would stay in CLOSE_WAIT until reboot, since
          nothing can release it once the module is gone. The lab closes it when your session ends; the fixed client releases it on
          rmmod.
        </p>
      ) : null}
      {states.has("FIN_WAIT2") ? (
        <p className="truth-note">
          FIN_WAIT2: this side closed and its FIN was acknowledged; it waits for the peer's FIN. Once no socket owns it, the kernel
          gives up after tcp_fin_timeout (60 s by default).
        </p>
      ) : null}
      {states.has("TIME_WAIT") ? (
        <p className="truth-note">
          TIME_WAIT is normal: the side that closed first keeps the connection's address pair for 60 s (TCP_TIMEWAIT_LEN), so that
          late packets of this connection are not taken for a new one. No socket owns it; the kernel removes it by itself.
        </p>
      ) : null}
    </section>
  );
}
