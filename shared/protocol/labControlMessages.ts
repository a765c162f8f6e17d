import { z } from "zod";

/**
 * The lab's own controls (spread into the unions of protocol.ts): "Reset the lab" brings the
 * session's lab back to its start for real, and "Occupy port" makes the server process hold the
 * lab's port with a listening socket no module owns, as another program on the machine would.
 */
export const labControlCommands = [
  /** Unload what can be unloaded; a lab the kernel would not let go of is ended and started afresh. */
  z.object({ type: z.literal("lab.reset") }),
  z.object({ type: z.literal("port.occupy") }),
  z.object({ type: z.literal("port.free") }),
] as const;

export const labControlEvents = [
  /**
   * Whether the session's separate listening socket holds the lab's port. `error` is set when
   * occupying failed (e.g. the lab's own server already listens there: EADDRINUSE).
   */
  z.object({
    type: z.literal("port"),
    port: z.number().int().min(0).max(65535),
    occupied: z.boolean(),
    error: z.string().max(200).optional(),
  }),
  /**
   * Who holds the lab's port when the Node lab's bind failed with EADDRINUSE (-98), read from the
   * machine's /proc/net/tcp and /proc/PID/fd. `outside`: a program other than this lab (not the
   * learner's Occupy port, not their own server); `pid` and `command` when its process was readable.
   */
  z.object({
    type: z.literal("port.holder"),
    port: z.number().int().min(0).max(65535),
    outside: z.boolean(),
    pid: z.number().int().positive().optional(),
    command: z.string().max(200).optional(),
  }),
] as const;
