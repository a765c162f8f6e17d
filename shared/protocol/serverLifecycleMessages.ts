import { z } from "zod";

/**
 * The server's own life, as the learner sees it (spread into the union of messages.ts). When an
 * orchestrator replaces the server (a rolling update, a node drained), running labs are told how
 * long they have before they are closed, so a lesson in progress can be finished, not cut.
 */
export const serverLifecycleEvents = [
  z.object({
    type: z.literal("server.draining"),
    /** Whole seconds until the server closes this lab (with 1001). */
    secondsLeft: z.number().int().nonnegative(),
    /** What the page says, in English (the locale may word it by the code "draining"). */
    message: z.string().max(400),
  }),
] as const;
