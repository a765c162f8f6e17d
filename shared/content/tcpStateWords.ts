import type { Bilingual } from "./bilingual.ts";
import type { TcpStateName } from "../protocol/tcpStates.ts";

/** What each state means for the socket that is in it, in words a learner can act on. */
export const TCP_STATE_WORDS: Record<TcpStateName, Bilingual> = {
  ESTABLISHED: { en: "connected: data can flow both ways", zh: "已连接：数据可以双向流动" },
  SYN_SENT: { en: "connecting: SYN sent, waiting for the answer", zh: "连接中：已发出 SYN，等待应答" },
  SYN_RECV: { en: "a SYN arrived; handshake not finished", zh: "收到了 SYN；握手尚未完成" },
  FIN_WAIT1: {
    en: "this side closed: FIN sent, not yet acknowledged",
    zh: "这一侧已关闭：FIN 已发出，尚未被确认",
  },
  FIN_WAIT2: { en: "this side closed; waiting for the peer to close", zh: "这一侧已关闭；等待对端关闭" },
  TIME_WAIT: {
    en: "closed; lingering so late packets of this connection die out",
    zh: "已关闭；暂留一段时间，让这个连接迟到的报文自然消亡",
  },
  CLOSE: { en: "closed", zh: "已关闭" },
  CLOSE_WAIT: {
    en: "the peer closed; waiting for this side to release its socket",
    zh: "对端已关闭；等待这一侧释放它的 socket",
  },
  LAST_ACK: { en: "closed after the peer; waiting for the last ACK", zh: "在对端之后关闭；等待最后一个 ACK" },
  LISTEN: { en: "listening: waiting for connections", zh: "监听中：等待连接" },
  CLOSING: { en: "both sides closed at once; waiting for the ACK", zh: "双方同时关闭；等待 ACK" },
  NEW_SYN_RECV: { en: "a connection request still in its handshake", zh: "仍在握手中的连接请求" },
};
