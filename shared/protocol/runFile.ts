import { z } from "zod";
import { ENGINES } from "./engineMessages.ts";
import { type LabEvent, ServerEventSchema } from "./messages.ts";
import { MAX_LEARNER_SOURCE_BYTES } from "./learnerBuildMessages.ts";
import { VARIANTS } from "./steps.ts";

/**
 * A recorded run as a file ("Export run" / "Open run"): the session's events with what they were
 * recorded with. `format` says the file is one of the lab's; `version` is bumped when the shape
 * changes, and a page refuses a version newer than its own rather than guess.
 */
export const RUN_FILE_FORMAT = "kernel-socket-lab/run";
export const RUN_FILE_VERSION = 1;
/** A file larger than this is refused before it is read. */
export const MAX_RUN_FILE_BYTES = 5 * 1024 * 1024;

/** An event of a lab's recorded history: any server event that carries seq and t. */
const RecordedEventSchema = ServerEventSchema.refine((event) => "seq" in event && "t" in event, {
  message: "not an event of a lab's recorded history (no seq)",
});

export const RunFileSchema = z.strictObject({
  format: z.literal(RUN_FILE_FORMAT),
  version: z.literal(RUN_FILE_VERSION),
  /** The app that recorded it (package.json's version). */
  appVersion: z.string().min(1).max(40),
  /** When it was exported (ISO 8601). */
  date: z.iso.datetime({ offset: true }),
  variant: z.enum(VARIANTS),
  engine: z.enum(ENGINES),
  /** The real kernel's release (uname -r) for a real-kernel run. */
  kernelRelease: z.string().max(100).optional(),
  /** The release picked when it was exported ("6.12", shared/releases/kernelSeries.ts); absent in older files. */
  kernelSeries: z.string().max(20).optional(),
  /** Whether that release's edits were applied (the listings show what was built); absent: applied. */
  releaseEdits: z.boolean().optional(),
  events: z.array(RecordedEventSchema),
  /** The learner's own C (the playground's draft) when it was exported: opening the file restores it. */
  learnerSources: z
    .strictObject({
      base: z.enum(VARIANTS),
      edits: z.strictObject({
        server: z.string().max(MAX_LEARNER_SOURCE_BYTES).optional(),
        client: z.string().max(MAX_LEARNER_SOURCE_BYTES).optional(),
      }),
    })
    .optional(),
});
export type RunFile = Omit<z.infer<typeof RunFileSchema>, "events"> & { events: LabEvent[] };

export type RunFileRefusal =
  | { reason: "too-big"; bytes: number }
  | { reason: "not-json" }
  | { reason: "foreign" }
  | { reason: "newer"; version: number }
  | { reason: "malformed"; detail: string };

export type RunFileReading = { ok: true; run: RunFile } | ({ ok: false } & RunFileRefusal);

/** Reads a run file's text (`bytes`: the file's size, checked first); never throws. */
export function readRunFile(text: string, bytes: number): RunFileReading {
  const steps = runFileReader(text, bytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same reading, in slices of `slice` events with `pause()` awaited between them, so a page
 * reading a 5 MiB file (35,000 events, seconds of validation) never blocks its thread for long.
 */
export async function readRunFileInSlices(
  text: string,
  bytes: number,
  pause: () => Promise<void>,
  slice = 1000,
): Promise<RunFileReading> {
  const steps = runFileReader(text, bytes, slice);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

const RunFileHeadSchema = RunFileSchema.extend({ events: z.array(z.unknown()) });

/** The reading, yielding after each slice of events it has validated. */
function* runFileReader(
  text: string,
  bytes: number,
  slice = Number.POSITIVE_INFINITY,
): Generator<void, RunFileReading> {
  if (bytes > MAX_RUN_FILE_BYTES) return { ok: false, reason: "too-big", bytes };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not-json" };
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (typeof head !== "object" || head === null || head.format !== RUN_FILE_FORMAT) {
    return { ok: false, reason: "foreign" };
  }
  if (typeof head.version === "number" && head.version > RUN_FILE_VERSION) {
    return { ok: false, reason: "newer", version: head.version };
  }
  const parsed = RunFileHeadSchema.safeParse(json);
  if (!parsed.success) return malformed(parsed.error.issues[0]);
  const events: LabEvent[] = [];
  for (const [i, raw] of parsed.data.events.entries()) {
    if (i > 0 && i % slice === 0) yield;
    const event = RecordedEventSchema.safeParse(raw);
    if (!event.success) {
      const issue = event.error.issues[0];
      return malformed(issue && { ...issue, path: ["events", i, ...issue.path] });
    }
    const previous = events.at(-1);
    if (previous && (event.data as LabEvent).seq <= previous.seq) {
      return { ok: false, reason: "malformed", detail: `events.${i}: seq is not after the event before it` };
    }
    events.push(event.data as LabEvent);
  }
  return { ok: true, run: { ...parsed.data, events } };
}

function malformed(issue: { path: PropertyKey[]; message: string } | undefined): RunFileReading {
  const where = issue?.path.length ? `${issue.path.map(String).join(".")}: ` : "";
  return { ok: false, reason: "malformed", detail: `${where}${issue?.message ?? "invalid"}`.slice(0, 200) };
}

/** The file of a run: the events as recorded, and what they were recorded with. */
export function writeRunFile(run: Omit<RunFile, "format" | "version">): string {
  const file: RunFile = { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, ...run };
  return JSON.stringify(file);
}
