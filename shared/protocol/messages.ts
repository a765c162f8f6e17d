import { z } from "zod";
import { LabEventBaseSchema } from "./labEventBase.ts";
import { ALL_STEP_IDS, MODULES, VARIANTS } from "./steps.ts";
import { engineCommands, engineEvents, kernelReleaseHere } from "./engineMessages.ts";
import { tcpStateEvents } from "./tcpStateMessages.ts";
import { labControlCommands, labControlEvents } from "./labControlMessages.ts";
import { serverLifecycleEvents } from "./serverLifecycleMessages.ts";
import { syscallCommands, syscallEvents } from "./syscallMessages.ts";
import { learnerBuildCommands, learnerBuildEvents } from "./learnerBuildMessages.ts";
import { callFrameSchema } from "./callFrame.ts";

/** Bumped whenever a message changes shape; the browser refuses a server that speaks another. */
export const PROTOCOL_VERSION = 1;

/** The largest frame the server accepts; anything bigger closes the connection with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;

export const WS_PATH = "/ws";

/** A step carries at most this many of the bytes it moved, so its frame stays small. */
export const MAX_DATA_BYTES = 4096;
const MAX_DATA_BASE64 = Math.ceil(MAX_DATA_BYTES / 3) * 4;

/** A kernel int (the length and buffer size a call was handed). */
const INT_MAX = 2 ** 31 - 1;

/**
 * The bytes a call moved. base64 is checked as base64 and must hold exactly the bytes a step
 * carries, min(length, bufferSize, MAX_DATA_BYTES) (labKernel.ts stepData, kernelStepper.ts
 * onReturn): a view decodes it without meeting a surprise, even from an opened file.
 */
const stepData = z
  .object({
    base64: z.base64().max(MAX_DATA_BASE64),
    /** How many bytes the call moved (base64 holds at most MAX_DATA_BYTES of them). */
    length: z.number().int().nonnegative().max(INT_MAX),
    /** The size of the buffer the C handed the call. */
    bufferSize: z.number().int().nonnegative().max(INT_MAX),
  })
  .refine((data) => base64Bytes(data.base64) === Math.min(data.length, data.bufferSize, MAX_DATA_BYTES), {
    message: "base64 must decode to min(length, bufferSize, 4096) bytes",
    path: ["base64"],
  });

/** How many bytes a (valid, padded) base64 text decodes to. */
function base64Bytes(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

const moduleName = z.enum(MODULES);
const variant = z.enum(VARIANTS);
const stepId = z.enum(ALL_STEP_IDS);

// ── browser → server ────────────────────────────────────────────────────────────────────────────

export const ClientCommandSchema = z.discriminatedUnion("type", [
  /**
   * insmod: run the module's init. `build`: the learner's own build of it (the buildId of a
   * `learner.build` that ended "built"), real kernel only; absent: the shipped listing.
   */
  z.object({
    type: z.literal("module.load"),
    module: moduleName,
    build: z.number().int().nonnegative().optional(),
  }),
  /** rmmod: run the module's exit. */
  z.object({ type: z.literal("module.unload"), module: moduleName }),
  /** Which listing the next insmod runs (as published / fixed). */
  z.object({ type: z.literal("variant.select"), variant }),
  /** Step mode: when on, each kernel call waits for `step.next` of its module. */
  z.object({ type: z.literal("stepMode.set"), enabled: z.boolean() }),
  z.object({ type: z.literal("step.next"), module: moduleName }),
  /** Runs the module to its end without further pauses. */
  z.object({ type: z.literal("step.continue"), module: moduleName }),
  ...engineCommands,
  ...labControlCommands,
  ...syscallCommands,
  ...learnerBuildCommands,
]);
export type ClientCommand = z.infer<typeof ClientCommandSchema>;

// ── server → browser ────────────────────────────────────────────────────────────────────────────

export const MODULE_STATES = ["unloaded", "loading", "live", "failed"] as const;
export type ModuleState = (typeof MODULE_STATES)[number];

/**
 * Real kernel, step mode: the `struct socket` the paused call was handed (or, on sock_create_kern's
 * exit, the one it made), read from guest memory through QEMU's gdbstub.
 */
const kernelSocket = z.object({
  /** The C expression the listing passes (sock, client_sock). */
  name: z.string().max(80),
  /** The pointer in hex; "0" is NULL and nothing else is read. */
  address: z.string().max(20),
  state: z.string().max(40).optional(),
  type: z.string().max(40).optional(),
  /** The ops table's symbol (inet_stream_ops), null when the pointer is NULL. */
  ops: z.string().max(80).nullable().optional(),
  /** Whether `sk` (the protocol's half of the socket) is set. */
  sk: z.boolean().optional(),
});
export type KernelSocketView = z.infer<typeof kernelSocket>;

export const ServerEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    protocolVersion: z.number().int(),
    /** The port this session's lab binds and dials (0x8888 unless another lab holds it). */
    labPort: z.number().int(),
    preferredPort: z.number().int(),
    variant,
    stepMode: z.boolean(),
    /** The kernel releases this server builds for (and boots): the release picker's first groups. */
    kernelReleases: z.array(kernelReleaseHere).max(32).optional(),
  }),
  z.object({
    type: z.literal("step"),
    ...LabEventBaseSchema.shape,
    module: moduleName,
    variant,
    step: stepId,
    /** `enter`: the call is running (and may block); `exit`: it returned `result`. */
    phase: z.enum(["enter", "exit"]),
    cLine: z.number().int().positive(),
    tsLine: z.number().int().positive(),
    /** The kernel-style return value: >= 0 on success, -errno on failure, null for void calls. */
    result: z.number().int().nullable(),
    /** The errno's name when result < 0 (e.g. ECONNREFUSED). */
    errno: z.string().optional(),
    /** On the exit of a call that moved bytes (recvmsg, sendmsg): the bytes, as base64. */
    data: stepData.optional(),
    socket: kernelSocket.optional(),
    /** The call view's frame: the call's arguments by its signature (exit: as they are after the call). */
    call: callFrameSchema.optional(),
  }),
  /** A step is held by step mode until the learner presses that module's step button. */
  z.object({
    type: z.literal("step.waiting"),
    ...LabEventBaseSchema.shape,
    module: moduleName,
    variant,
    step: stepId,
    cLine: z.number().int().positive(),
    tsLine: z.number().int().positive(),
    /** Real kernel: the whole VM is stopped here (QEMU's gdbstub); `t` is the guest's uptime. */
    vmPaused: z.boolean().optional(),
    socket: kernelSocket.optional(),
    /** The call view's frame: the arguments the call is about to be handed. */
    call: callFrameSchema.optional(),
  }),
  z.object({
    type: z.literal("printk"),
    ...LabEventBaseSchema.shape,
    /** Who called printk: a lab module, or the kernel itself (e.g. do_init_module's warning). */
    source: z.enum([...MODULES, "kernel"]),
    text: z.string(),
    cLine: z.number().int().positive().optional(),
    tsLine: z.number().int().positive().optional(),
    /** The record's log level (0–7): KERN_ prefix, or the default level 4 when printk names none. */
    level: z.number().int().min(0).max(7).optional(),
  }),
  /** A line of the shell: the insmod/rmmod the learner typed and what those tools answered. */
  z.object({
    type: z.literal("console"),
    ...LabEventBaseSchema.shape,
    text: z.string(),
  }),
  z.object({
    type: z.literal("module.state"),
    ...LabEventBaseSchema.shape,
    module: moduleName,
    state: z.enum(MODULE_STATES),
    variant,
    /** init's return value once it returned (failed: -errno). */
    initResult: z.number().int().optional(),
    /** The learner's build this module was loaded from (its buildId); absent: the shipped listing. */
    learnerBuild: z.number().int().nonnegative().optional(),
  }),
  z.object({
    type: z.literal("settings"),
    variant,
    stepMode: z.boolean(),
  }),
  z.object({
    type: z.literal("error"),
    /** full: the server holds its maximum of sessions; idle: closed after no command; shutdown: the server stops. */
    code: z.enum([
      "bad-json",
      "bad-message",
      "unknown-command",
      "rate-limited",
      "refused",
      "internal",
      "full",
      "idle",
      "shutdown",
      /** The page stopped reading while too many events waited for it (back-pressure). */
      "not-reading",
      /** This address holds as many labs as one client may (MAX_SESSIONS_PER_ADDRESS). */
      "address-full",
      /** The lab's modules hold as many sockets as one lab may: sock_create_kern failed with -ENFILE. */
      "socket-limit",
      /** A connection to a lab listener was reset: its accept queue (or the lab's socket cap) was full. */
      "accept-queue-full",
    ]),
    message: z.string(),
  }),
  ...engineEvents,
  ...tcpStateEvents,
  ...labControlEvents,
  ...serverLifecycleEvents,
  ...syscallEvents,
  ...learnerBuildEvents,
]);
export type ServerEvent = z.infer<typeof ServerEventSchema>;
export type ServerEventOf<T extends ServerEvent["type"]> = Extract<ServerEvent, { type: T }>;

/** Events that belong to the recorded history of a lab (carry seq and t). */
export type LabEvent = Extract<ServerEvent, { seq: number }>;

export function assertNever(x: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(x)}`);
}
