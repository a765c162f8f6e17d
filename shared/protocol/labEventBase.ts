import { z } from "zod";

/**
 * What every event of a lab's recorded history carries (spread first into each such schema):
 * `seq`, its place in the session's one ordered stream, and `t`, seconds since the lab started.
 */
export const LabEventBaseSchema = z.object({
  seq: z.number().int(),
  t: z.number().nonnegative(),
});
