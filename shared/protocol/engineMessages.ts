import { z } from "zod";
import { ENGINES, LabEventBaseSchema } from "./labEventBase.ts";
import { MODULES } from "./steps.ts";

/** The engine switch's part of the protocol (spread into the unions of protocol.ts); ENGINES in labEventBase.ts. */
export { ENGINES };

/** "6.12", "2.6.32": the picker's names for kernel releases (shared/releases/kernelSeries.ts). */
const kernelSeriesName = z.string().regex(/^\d{1,2}\.\d{1,2}(\.\d{1,3})?$/);
export type Engine = (typeof ENGINES)[number];

/**
 * The port both C listings bind and dial (0x8888) inside the real kernel's VM: the guest has its own
 * network namespace (only `lo`), so it is the same whatever port the host's Node lab uses.
 */
export const REAL_KERNEL_LAB_PORT = 0x8888;

export const ENGINE_STATUSES = [
  /** The engine can run; nothing is started until the learner loads a module. */
  "available",
  /** Packages are missing: `missing` names them, `installCommand` installs them. */
  "missing",
  "building",
  "build-failed",
  /**
   * Both listings built against the picked release's headers, which has no image here: it builds
   * but cannot boot (`installCommand` adds its image, `kernelRelease` names it).
   */
  "built",
  /** Every VM slot is taken: `position` is this session's place in the queue (1 is next). */
  "queued",
  "booting",
  "ready",
  /** The VM ended (`detail` says why: panic, time-limit, ...); the next insmod boots a fresh one. */
  "stopped",
] as const;
export type EngineStatus = (typeof ENGINE_STATUSES)[number];

/**
 * Why a real-kernel VM stopped, as a code the page words in its own language: panic, its time
 * limit, idle (nothing loaded and no command for `idleMs`), powered off (the learner's button, a
 * lab reset), disposed (the session ended), exited (QEMU ended by itself; `detail` says how).
 */
export const VM_STOP_REASONS = ["panic", "time-limit", "idle", "poweroff", "disposed", "exited"] as const;
export type VmStopReason = (typeof VM_STOP_REASONS)[number];

export const engineCommands = [
  z.object({ type: z.literal("engine.select"), engine: z.enum(ENGINES) }),
  /** Real kernel: power the VM off now; the next insmod boots a fresh kernel. */
  z.object({ type: z.literal("engine.restart") }),
  /** Real kernel: the release the VM boots and the listings are built for, by series ("6.12"). */
  z.object({
    type: z.literal("kernel.release"),
    release: kernelSeriesName,
    /** false: the listings are built as written, without the release's edits (its compiler's errors shown). */
    edits: z.boolean().optional(),
  }),
] as const;

/** A release this server has: its series, `uname -r`, and whether it boots here or is only built. */
export const kernelReleaseHere = z.object({
  series: kernelSeriesName,
  release: z.string().max(80),
  boots: z.boolean(),
});

const frame = z.object({
  symbol: z.string(),
  name: z.string(),
  module: z.string().optional(),
  reliable: z.boolean(),
  rip: z.boolean(),
  /** The 0-based line of the oops text the frame stands on. */
  textLine: z.number().int().nonnegative(),
  /** Where the listing defines the function. */
  cLine: z.number().int().positive().optional(),
  listingModule: z.enum(MODULES).optional(),
  /** `+0x166` of `myserver.cold+0x166/0x192`: the byte of the function the frame stands on. */
  offset: z.number().int().nonnegative().optional(),
  /** The listing line of that very instruction, from the module's debug information. */
  line: z.number().int().positive().optional(),
  /** The call made on that line, as the listing writes it ("kernel_recvmsg", "sock->ops->accept"). */
  call: z.string().optional(),
});

export const engineEvents = [
  z.object({
    type: z.literal("engine"),
    engine: z.enum(ENGINES),
    status: z.enum(ENGINE_STATUSES),
    missing: z.array(z.string()).optional(),
    installCommand: z.string().optional(),
    position: z.number().int().positive().optional(),
    /** Queued: about how long the wait may be, from the recent VMs' durations (absent before any ended). */
    estimateMs: z.number().nonnegative().optional(),
    kernelRelease: z.string().optional(),
    /** Available / missing: the releases this server can build for (and boot), and the one picked. */
    releases: z.array(kernelReleaseHere).max(32).optional(),
    series: kernelSeriesName.optional(),
    /** Build output as the compiler printed it, or why the VM stopped (in English; `reason` is the code). */
    detail: z.string().optional(),
    /** Stopped: why, as a code the page words in the reader's language. */
    reason: z.enum(VM_STOP_REASONS).optional(),
    /** Stopped for being idle: after how long (REAL_KERNEL_IDLE_MS). */
    idleMs: z.number().int().positive().optional(),
    /** How long the build or the boot took. */
    ms: z.number().nonnegative().optional(),
  }),
  /** A whole oops from the real kernel, its RIP and call-trace functions linked to the listing. */
  z.object({
    type: z.literal("oops"),
    ...LabEventBaseSchema.shape,
    text: z.string(),
    frames: z.array(frame),
  }),
  /**
   * The real kernel's boot log, up to the moment the guest's init took commands: every record, with
   * the kernel's own stamps, in one group so the printk pane can fold it away from the lesson.
   */
  z.object({
    type: z.literal("kernel.boot"),
    ...LabEventBaseSchema.shape,
    release: z.string().optional(),
    records: z.array(
      z.object({ t: z.number().nonnegative(), text: z.string(), level: z.number().int().min(0).max(7) }),
    ),
  }),
] as const;
