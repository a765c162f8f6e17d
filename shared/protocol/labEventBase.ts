import { z } from "zod";

/**
 * What every event of a lab's recorded history carries (spread first into each such schema):
 * `seq`, its place in the session's one ordered stream, and `t`, seconds since the lab started.
 */
/**
 * The engines a lab runs on: "node" is the lab of TS modules on Node's sockets; "real-kernel"
 * builds the C listings and runs them in a VM.
 */
export const ENGINES = ["node", "real-kernel"] as const;

export const LabEventBaseSchema = z.object({
  seq: z.number().int(),
  t: z.number().nonnegative(),
  /** The engine whose run the event belongs to: each engine's clock and states are its own. */
  engine: z.enum(ENGINES).optional(),
  /**
   * The engine run the event belongs to, numbered once per session: a new number when an engine
   * starts afresh (chosen again after the other one, a VM booted), so `t` is read on that run's own
   * clock. Absent in run files recorded before runs were numbered.
   */
  run: z.number().int().positive().optional(),
});
