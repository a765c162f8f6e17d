import { z } from "zod";
import { MODULES, VARIANTS } from "./steps.ts";

/**
 * The playground's part of the protocol (spread into the unions of messages.ts): the learner's own
 * server.c / client.c, built with the lab's Makefile in a sandbox against the VM's kernel headers.
 */

/** The most C one module may hold: the listings are ~3 KB; two of these, escaped, fit one frame. */
export const MAX_LEARNER_SOURCE_BYTES = 12 * 1024;

/** What ended a build that produced no module. */
export const LEARNER_BUILD_FAILURES = [
  /** gcc or modpost refused the code: the diagnostics say where. */
  "compile",
  /** A cap of the sandbox ended it: `limit` names which. */
  "limit",
  /** This learner already has a build queued or running. */
  "busy",
  /** The sandbox or the kernel headers are not installed. */
  "unavailable",
] as const;

export const LEARNER_BUILD_LIMITS = [
  "wall-time",
  "cpu-time",
  "memory",
  "output",
  "file-size",
  "processes",
] as const;

const diagnostic = z.object({
  /** The module whose C the line is in; null for a kernel header's line (file says which). */
  module: z.enum(MODULES).nullable(),
  file: z.string().max(200).nullable(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative(),
  severity: z.enum(["error", "warning", "note"]),
  message: z.string().max(2000),
  /** The warning's flag, e.g. -Wsizeof-pointer-memaccess. */
  option: z.string().max(80).nullable(),
});
export type BuildDiagnostic = z.infer<typeof diagnostic>;

export const learnerBuildCommands = [
  z.object({
    type: z.literal("learner.build"),
    /** A number the page picks, echoed on every status of this build. */
    buildId: z.number().int().nonnegative(),
    /** The listing the edits started from (the published one as the lab ports it to 6.1). */
    base: z.enum(VARIANTS),
    sources: z.object({
      server: z.string().max(MAX_LEARNER_SOURCE_BYTES),
      client: z.string().max(MAX_LEARNER_SOURCE_BYTES),
    }),
  }),
] as const;

export const learnerBuildEvents = [
  z.object({
    type: z.literal("learner.build"),
    buildId: z.number().int().nonnegative(),
    status: z.enum(["queued", "building", "built", "failed"]),
    /** Queued: this build's place (1 is next). */
    position: z.number().int().positive().optional(),
    failure: z.enum(LEARNER_BUILD_FAILURES).optional(),
    limit: z.enum(LEARNER_BUILD_LIMITS).optional(),
    diagnostics: z.array(diagnostic).max(200).optional(),
    /** The build log: gcc's diagnostics in its text form, modpost's and make's errors. */
    log: z
      .string()
      .max(64 * 1024)
      .optional(),
    /** From the build's start in the sandbox to its end (queue wait excluded). */
    ms: z.number().nonnegative().optional(),
  }),
] as const;
