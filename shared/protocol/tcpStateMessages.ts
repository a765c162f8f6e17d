import { z } from "zod";
import { LabEventBaseSchema } from "./labEventBase.ts";
import { TCP_STATE_NAMES } from "./tcpStates.ts";

const endpoint = z.object({ address: z.string().max(64), port: z.number().int().min(0).max(65535) });

/** One row of /proc/net/tcp or /proc/net/tcp6, decoded: what `ss -tan` would show for it. */
export const TcpRowSchema = z.object({
  family: z.enum(["ipv4", "ipv6"]),
  local: endpoint,
  remote: endpoint,
  state: z.enum(TCP_STATE_NAMES),
  /** tx_queue: bytes sent and not yet acknowledged (Send-Q). */
  txQueue: z.number().int().nonnegative(),
  /** rx_queue: bytes received and not yet read; for a listener, connections waiting for accept (Recv-Q). */
  rxQueue: z.number().int().nonnegative(),
  /** 0 once no socket owns the row (TIME_WAIT, orphans). */
  inode: z.number().int().nonnegative(),
  /**
   * TIME_WAIT: the seconds its timer has left before the kernel drops the row (the `tm->when` of
   * /proc/net/tcp, in clock ticks of USER_HZ = 100); until then a bind of the port without
   * SO_REUSEADDR fails with -EADDRINUSE. Real kernel only.
   */
  timeWaitSeconds: z.number().nonnegative().optional(),
});
export type TcpRow = z.infer<typeof TcpRowSchema>;

/**
 * The kernel's view of the lab's sockets: sent when the set of rows changes while the lab is active.
 * `unavailable` says why there are no rows at all (no /proc/net/tcp on this machine).
 */
/** The most rows one tcp.state event carries: enough for any lesson, bounded for a long session. */
export const MAX_TCP_ROWS = 256;

export const tcpStateEvents = [
  z.object({
    type: z.literal("tcp.state"),
    ...LabEventBaseSchema.shape,
    rows: z.array(TcpRowSchema).max(MAX_TCP_ROWS),
    /** Rows past MAX_TCP_ROWS, counted but not sent (a long session leaks a socket per lesson). */
    omitted: z.number().int().nonnegative().optional(),
    unavailable: z.string().max(300).optional(),
  }),
] as const;
