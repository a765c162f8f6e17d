import { z } from "zod";
import { ALL_STEP_IDS, MODULES } from "./steps.ts";

/** The longest strace text one line carries: strace already cuts strings at 32 bytes. */
export const MAX_SYSCALL_TEXT = 400;
/** The most lines one `syscalls` event carries (the server sends a batch per tick). */
export const MAX_SYSCALL_BATCH = 200;

/**
 * One system call the traced lab's process made, as strace printed it, placed by the lab's gate:
 * in a module's call (`step`, `stepAt` = that call's enter event's `t`), or between calls, made by
 * the event loop (`loop`). `raw`: a line strace printed that could not be read, shown as it is.
 */
export const SyscallLineSchema = z.object({
  /** Seconds on the lab's clock (the step events' `t`). */
  t: z.number().nonnegative(),
  text: z.string().max(MAX_SYSCALL_TEXT),
  /** The system call's name (bind, connect, read…). */
  name: z.string().max(40).optional(),
  module: z.enum(MODULES).optional(),
  step: z.enum(ALL_STEP_IDS).optional(),
  stepAt: z.number().nonnegative().optional(),
  loop: z.boolean().optional(),
  /** For an event-loop line: the call of the other module that was running then. */
  during: z.object({ module: z.enum(MODULES), step: z.enum(ALL_STEP_IDS) }).optional(),
  raw: z.boolean().optional(),
});
export type SyscallLine = z.infer<typeof SyscallLineSchema>;

export const SYSCALL_VIEW_STATES = ["off", "queued", "starting", "tracing", "unavailable", "failed"] as const;
export type SyscallViewState = (typeof SYSCALL_VIEW_STATES)[number];

/**
 * The "System calls" view: the browser asks for its lab to be traced (it opened the tab) or no
 * longer; the server answers with the view's state and streams the lines of the traced lab.
 */
export const syscallCommands = [z.object({ type: z.literal("syscalls.trace"), on: z.boolean() })] as const;

export const syscallEvents = [
  z.object({
    type: z.literal("syscalls.status"),
    state: z.enum(SYSCALL_VIEW_STATES),
    /** How the lines are obtained: strace, a parent of the lab's worker process. */
    mechanism: z.enum(["strace"]).optional(),
    /** Why the view is not tracing (queued: the cap; unavailable: no strace; failed: strace died). */
    reason: z.string().max(300).optional(),
  }),
  z.object({
    type: z.literal("syscalls"),
    lines: z.array(SyscallLineSchema).max(MAX_SYSCALL_BATCH),
  }),
] as const;
