import { parseProcNetTcp } from "../kernelTruth/procNetTcp.ts";
import { labRows } from "../kernelTruth/tcpStatePoller.ts";
import { REAL_KERNEL_LAB_PORT } from "../../shared/protocol/engineMessages.ts";
import type { TcpRow } from "../../shared/protocol/tcpStateMessages.ts";

/** The port both listings bind and dial, inside the guest: its own network, never the host's. */
export const GUEST_LAB_PORT = REAL_KERNEL_LAB_PORT;

/** USER_HZ: /proc/net/tcp gives timers in clock ticks of 1/100 s (jiffies_delta_to_clock_t). */
const USER_HZ = 100;

/**
 * The lab's rows of the guest's /proc/net/tcp, as the init's "tcp" command printed it (read in
 * the guest, not on the host), each TIME_WAIT row with the seconds its timer has left: the
 * "tr:tm->when" field, timer 3 being the TIME_WAIT timer (get_timewait4_sock() in
 * net/ipv4/tcp_ipv4.c of 6.1).
 */
export function guestTcpRows(lines: readonly string[]): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const line of lines.slice(1)) {
    // One row at a time (the header first, as the parser skips it), so each keeps its own timer.
    const [row] = parseProcNetTcp(`\n${line}`, "ipv4", true);
    if (!row) continue;
    const [timer, when] = (line.trim().split(/\s+/)[5] ?? "").split(":");
    if (row.state === "TIME_WAIT" && timer === "03" && when)
      row.timeWaitSeconds = Number.parseInt(when, 16) / USER_HZ;
    rows.push(row);
  }
  return labRows(rows, GUEST_LAB_PORT);
}
