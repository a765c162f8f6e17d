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
});
