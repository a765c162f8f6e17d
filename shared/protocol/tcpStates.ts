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
