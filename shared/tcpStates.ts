/**
 * The TCP states as Linux numbers them (include/net/tcp_states.h, v6.1: TCP_ESTABLISHED = 1 …
 * TCP_NEW_SYN_RECV = 12). /proc/net/tcp prints the number as two hex digits in its `st` column.
 */
export const TCP_STATE_NAMES = [
  "ESTABLISHED",
  "SYN_SENT",
  "SYN_RECV",
  "FIN_WAIT1",
  "FIN_WAIT2",
  "TIME_WAIT",
  "CLOSE",
  "CLOSE_WAIT",
  "LAST_ACK",
  "LISTEN",
  "CLOSING",
  "NEW_SYN_RECV",
] as const;
export type TcpStateName = (typeof TCP_STATE_NAMES)[number];

/** The state a /proc/net/tcp `st` value names, or undefined for a number Linux does not use. */
export function tcpStateOf(code: number): TcpStateName | undefined {
  return TCP_STATE_NAMES[code - 1];
}

/** What each state means for the socket that is in it, in words a learner can act on. */
export const TCP_STATE_WORDS: Record<TcpStateName, string> = {
  ESTABLISHED: "connected: data can flow both ways",
  SYN_SENT: "connecting: SYN sent, waiting for the answer",
  SYN_RECV: "a SYN arrived; handshake not finished",
  FIN_WAIT1: "this side closed: FIN sent, not yet acknowledged",
  FIN_WAIT2: "this side closed; waiting for the peer to close",
  TIME_WAIT: "closed; lingering so late packets of this connection die out",
  CLOSE: "closed",
  CLOSE_WAIT: "the peer closed; waiting for this side to release its socket",
  LAST_ACK: "closed after the peer; waiting for the last ACK",
  LISTEN: "listening: waiting for connections",
  CLOSING: "both sides closed at once; waiting for the ACK",
  NEW_SYN_RECV: "a connection request still in its handshake",
};
