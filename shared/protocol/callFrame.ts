import { z } from "zod";

/**
 * The call view's frame (Python Tutor's frame, for one kernel call): the kernel function, its
 * arguments named and typed by the signature it has on the release the run used, and each value
 * decoded. Carried by `step.waiting` and by `step` enter and exit (exit: the values after the
 * call, when the callee filled them); the return value, its errno and the bytes moved are the
 * `step` event's own `result`, `errno` and `data`.
 */
export const CALL_VALUE_SOURCES = [
  /** Read from the guest's memory and registers at the breakpoint (real kernel). */
  "guest-memory",
  /** The Node lab's TS twin: the real Node sockets' values, not kernel memory. */
  "twin",
] as const;
export type CallValueSource = (typeof CALL_VALUE_SOURCES)[number];

const callField = z.object({
  /** The C member (state, sin_port, iov_len), or what the twin calls it. */
  name: z.string().min(1).max(40),
  value: z.string().max(120),
});

const callArgument = z.object({
  /** The parameter's name in the kernel's definition (sock, msg, vec, size, flags). */
  name: z.string().min(1).max(40),
  /** Its C type on that release (struct socket *, size_t). */
  type: z.string().min(1).max(60),
  /** The value: a pointer in hex, a number, flags by name; null when the twin has no such value. */
  value: z.string().max(120).nullable(),
  /** The struct it points to, member by member, as read (at most one level deep). */
  fields: z.array(callField).max(12).optional(),
});
export type CallArgument = z.infer<typeof callArgument>;

export const callFrameSchema = z.object({
  source: z.enum(CALL_VALUE_SOURCES),
  /** The kernel function called (kernel_recvmsg, inet_bind). */
  function: z.string().min(1).max(60),
  /** The release series whose signature names the arguments ("6.1"). */
  release: z.string().min(1).max(20),
  /** The function's return type on that release. */
  returns: z.string().min(1).max(40),
  args: z.array(callArgument).max(8),
});
export type CallFrame = z.infer<typeof callFrameSchema>;
