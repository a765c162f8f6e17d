/**
 * Property: whatever a browser (or anything else) sends, each frame gets an error event or is a
 * valid command that runs; the server stays up; and a learner next door finishes the lesson.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type ClientCommand, ClientCommandSchema, MAX_FRAME_BYTES } from "../shared/protocol/messages.ts";
import { type RunningApp, startApp } from "../server/app.ts";
import { LabClient } from "./helpers/labClient.ts";
import { isStep } from "./helpers/stepEvents.ts";

type Frame = { data: string | Uint8Array; binary: boolean };

const KNOWN_TYPES = ClientCommandSchema.options.map((o) => o.shape.type.value);
/** Commands a learner can send, in any order; the real-kernel engine is left out (it boots a VM). */
const LAB_COMMANDS: ClientCommand[] = [
  ...(["server", "client"] as const).flatMap((module) => [
    { type: "module.load", module } as const,
    { type: "module.unload", module } as const,
    { type: "step.next", module } as const,
    { type: "step.continue", module } as const,
  ]),
  { type: "stepMode.set", enabled: true },
  { type: "stepMode.set", enabled: false },
  { type: "variant.select", variant: "published" },
  { type: "variant.select", variant: "fixed" },
];

const text = (arb: fc.Arbitrary<string>): fc.Arbitrary<Frame> => arb.map((data) => ({ data, binary: false }));
const json = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<Frame> =>
  text(arb.map((value) => JSON.stringify(value) ?? "null"));

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  { arbitrary: text(fc.string({ unit: "binary", maxLength: 200 })), weight: 4 },
  { arbitrary: json(fc.jsonValue({ maxDepth: 4 })), weight: 4 },
  // A known command with fields of the wrong type, missing, or extra.
  {
    arbitrary: json(
      fc.record(
        {
          type: fc.constantFrom(...KNOWN_TYPES),
          module: fc.jsonValue({ maxDepth: 1 }),
          enabled: fc.jsonValue({ maxDepth: 1 }),
          variant: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: ["type"] },
      ),
    ),
    weight: 4,
  },
  {
    arbitrary: json(
      fc.record({
        type: fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString", "module.")),
      }),
    ),
    weight: 2,
  },
  {
    arbitrary: text(
      fc.constantFrom(
        '{"__proto__":{"type":"module.load","module":"server"}}',
        '{"type":"module.load","module":"server"',
        "",
        " ",
        "null",
        "[]",
      ),
    ),
    weight: 1,
  },
  // Up to the frame limit: a huge string where a module name goes, or a huge bare string.
  {
    arbitrary: fc
      .integer({ min: 1000, max: MAX_FRAME_BYTES - 64 })
      .chain((n) =>
        fc.constantFrom(
          { data: `{"type":"module.load","module":"${"s".repeat(n)}"}`, binary: false },
          { data: `"${"x".repeat(n)}"`, binary: false },
          { data: "{".repeat(n), binary: false },
        ),
      ),
    weight: 1,
  },
  {
    arbitrary: fc
      .integer({ min: 1, max: (MAX_FRAME_BYTES - 16) / 2 })
      .map((n) => ({ data: `{"type":${"[".repeat(n)}${"]".repeat(n)}}`, binary: false })),
    weight: 1,
  },
  { arbitrary: fc.uint8Array({ maxLength: 512 }).map((data) => ({ data, binary: true })), weight: 2 },
  {
    arbitrary: fc
      .constantFrom(...LAB_COMMANDS)
      .map((command) => ({ data: JSON.stringify(command), binary: false })),
    weight: 6,
  },
);

/** Whether the server must answer this frame with a bad-json / bad-message / unknown-command error. */
function isInvalid(frame: Frame): boolean {
  if (frame.binary) return true;
  try {
    return !ClientCommandSchema.safeParse(JSON.parse(frame.data as string)).success;
  } catch {
    return true;
  }
}

const INPUT_ERRORS = new Set(["bad-json", "bad-message", "unknown-command"]);

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ port: 0, labPort: 0, rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } });
});
afterAll(() => app.close());

describe("fuzzing the WebSocket", () => {
  it("answers each of 10,000+ random and malformed frames with an error or runs it, stays up, and leaves a neighbour's lesson untouched", async () => {
    const fuzzer = await LabClient.open(app.url);
    const neighbour = await LabClient.open(app.url);
    let fuzzing = true;
    const lessons = runLessonsUntil(neighbour, () => fuzzing);

    let sent = 0;
    let batch = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 100, maxLength: 140 }), async (frames) => {
        const from = fuzzer.events.length;
        for (const frame of frames) fuzzer.ws.send(frame.data, { binary: frame.binary });
        const sentinel = `fuzz.sentinel.${++batch}`;
        fuzzer.send(JSON.stringify({ type: sentinel }));
        await fuzzer.waitFor((e) => e.type === "error" && e.message.includes(sentinel), 10_000);
        const errors = fuzzer.events
          .slice(from)
          .filter((e) => e.type === "error" && !e.message.includes(sentinel));
        const inputErrors = errors.filter((e) => e.type === "error" && INPUT_ERRORS.has(e.code));
        expect(inputErrors).toHaveLength(frames.filter(isInvalid).length);
        expect(
          errors.filter((e) => e.type === "error" && (e.code === "internal" || e.code === "rate-limited")),
        ).toEqual([]);
        sent += frames.length;
        answered += inputErrors.length;
      }),
      { numRuns: 100, endOnFailure: true },
    );
    fuzzing = false;
    const runs = await lessons;

    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(answered).toBeGreaterThan(sent / 2);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(fuzzer.ws.readyState).toBe(WebSocket.OPEN);
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ ok: true, sessions: 2 });
    console.log(
      `fuzzed ${sent} frames (${answered} answered with an error); the neighbour completed ${runs} lessons meanwhile`,
    );
    await fuzzer.close();
    await neighbour.close();
  }, 60_000);
});

/** The neighbour runs the whole lesson (insmod server, insmod client, both rmmod) again and again. */
async function runLessonsUntil(lab: LabClient, keepGoing: () => boolean): Promise<number> {
  let runs = 0;
  do {
    const from = lab.events.length;
    const fresh = (match: (e: (typeof lab.events)[number]) => boolean) =>
      expect.poll(() => lab.events.slice(from).some(match), { timeout: 10_000, interval: 5 }).toBe(true);
    lab.send({ type: "module.load", module: "server" });
    await fresh(isStep("server", "accept", "enter"));
    lab.send({ type: "module.load", module: "client" });
    await fresh((e) => e.type === "module.state" && e.module === "server" && e.state === "live");
    await fresh((e) => e.type === "module.state" && e.module === "client" && e.state === "live");
    lab.send({ type: "module.unload", module: "server" });
    lab.send({ type: "module.unload", module: "client" });
    await fresh((e) => e.type === "module.state" && e.module === "server" && e.state === "unloaded");
    await fresh((e) => e.type === "module.state" && e.module === "client" && e.state === "unloaded");
    const printed = lab.events.slice(from).flatMap((e) => (e.type === "printk" ? [e.text] : []));
    expect(printed).toEqual(
      expect.arrayContaining([
        "server init:\n",
        "server:bind ok!\n",
        "server:listen ok!\n",
        "server: accept ok, Connection Established\n",
        `receive message:\n ${"^A".repeat(973)}`,
        "client:connect ok!\n",
        "client:send ok!\n",
        "good bye\n",
        "client exit!\n",
      ]),
    );
    runs++;
  } while (keepGoing());
  expect(lab.of("error")).toEqual([]);
  const seqs = lab.events.flatMap((e) => ("seq" in e ? [e.seq] : []));
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  return runs;
}
