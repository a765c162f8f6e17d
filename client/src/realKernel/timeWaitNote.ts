import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleView } from "../connection/labView.ts";
import type { LineNote } from "../listing/Listing.tsx";

const EADDRINUSE = -98;

/**
 * A bind that failed with -EADDRINUSE while the kernel still holds the port in TIME_WAIT: the note
 * its line carries, with the seconds the row's timer had left at the latest read of the table
 * (on the real kernel, the guest's own /proc/net/tcp). Undefined when the moment is anything else.
 */
export function timeWaitNote(
  view: ModuleView,
  tcp: ServerEventOf<"tcp.state"> | undefined,
  port: number | undefined,
  say: (seconds: number, port: number) => string,
): { line: number; note: LineNote } | undefined {
  const current = view.current;
  if (port === undefined || current?.phase !== "done" || current.result !== EADDRINUSE) return undefined;
  const waiting = tcp?.rows.filter((row) => row.state === "TIME_WAIT" && row.local.port === port) ?? [];
  if (waiting.length === 0) return undefined;
  const seconds = Math.max(...waiting.map((row) => row.timeWaitSeconds ?? 0));
  return { line: current.cLine, note: { kind: "note", text: say(Math.ceil(seconds), port) } };
}
