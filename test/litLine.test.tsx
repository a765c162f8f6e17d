import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DisplayClock, DisplayClockContext } from "../client/src/clock/displayClock.ts";
import type { LitSource } from "../client/src/listing/litLine.ts";
import { EventRecord } from "../client/src/connection/eventRecord.ts";
import { Listing } from "../client/src/listing/Listing.tsx";
import type { LabEvent } from "../shared/protocol/messages.ts";
import type { Variant } from "../shared/protocol/steps.ts";

let seq = 0;
const stamp = (variant: Variant) => ({ seq: ++seq, t: seq / 1000, variant });
const events = (variant: Variant, result: number): LabEvent[] => [
  { type: "module.state", module: "server", state: "loading", ...stamp(variant) },
  {
    type: "step",
    module: "server",
    step: "bind",
    phase: "exit",
    cLine: 3,
    tsLine: 5,
    result,
    ...stamp(variant),
  },
];

/** A display clock at Instant over a record holding `shown`: the moment it shows is their end. */
function clockShowing(shown: LabEvent[]): DisplayClock {
  const record = new EventRecord();
  for (const event of shown) record.append(event);
  const snapshot = { record, length: record.length, start: record.start, stepMode: false };
  return new DisplayClock(
    { subscribe: () => () => {}, getSnapshot: () => snapshot },
    { pace: "instant", linkedAt: null },
  );
}

const code = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join("\n");

function rendered(clock: DisplayClock, lit: LitSource): string {
  return renderToStaticMarkup(
    <DisplayClockContext.Provider value={clock}>
      <Listing label="server.c" code={code} language="c" lit={lit} />
    </DisplayClockContext.Provider>,
  );
}

function litLines(clock: DisplayClock, lit: LitSource): string[] {
  return [
    ...rendered(clock, lit).matchAll(/<div class="([^"]*)" data-line="(\d+)"[^>]*aria-current="step"/g),
  ].map((match) => `${match[2]} ${match[1]}`);
}

function printedLines(clock: DisplayClock, lit: LitSource): string[] {
  return [...rendered(clock, lit).matchAll(/<div class="[^"]*\bprinted\b[^"]*" data-line="(\d+)"/g)].map(
    (match) => match[1] ?? "",
  );
}

describe("a listing's lit line, read from the display clock where it is drawn", () => {
  it("lights the C line of the module's call at the moment shown, with its tone, without being handed it", () => {
    const clock = clockShowing(events("published", -98));
    expect(litLines(clock, { module: "server", variant: "published", side: "c" })).toEqual([
      "3 line current tone-error",
    ]);
    clock.dispose();
  });

  it("lights the TS side's own line for the same call", () => {
    const clock = clockShowing(events("published", 0));
    expect(litLines(clock, { module: "server", variant: "published", side: "ts" })).toEqual([
      "5 line current tone-ok",
    ]);
    clock.dispose();
  });

  it("lights nothing in another variant's listing, nor for the other module", () => {
    const clock = clockShowing(events("published", 0));
    expect(litLines(clock, { module: "server", variant: "fixed", side: "c" })).toEqual([]);
    expect(litLines(clock, { module: "client", variant: "published", side: "c" })).toEqual([]);
    clock.dispose();
  });

  it("marks the line whose printk printed last on each side, in the listing of the variant the module runs only", () => {
    const printk: LabEvent = {
      type: "printk",
      seq: ++seq,
      t: seq / 1000,
      source: "server",
      text: "server:bind ok!\n",
      cLine: 4,
      tsLine: 6,
    };
    const clock = clockShowing([...events("published", 0), printk]);
    expect(printedLines(clock, { module: "server", variant: "published", side: "c" })).toEqual(["4"]);
    expect(printedLines(clock, { module: "server", variant: "published", side: "ts" })).toEqual(["6"]);
    expect(printedLines(clock, { module: "server", variant: "fixed", side: "c" })).toEqual([]);
    clock.dispose();
  });

  it("lights the line of a learner's build while the module runs that build, and nothing in another build's listing", () => {
    const build = (learnerBuild: number): LabEvent[] => [
      { type: "module.state", module: "server", state: "loading", learnerBuild, ...stamp("fixed") },
      {
        type: "step",
        module: "server",
        step: "listen",
        phase: "exit",
        cLine: 7,
        tsLine: 1,
        result: 0,
        ...stamp("fixed"),
      },
    ];
    const clock = clockShowing(build(2));
    expect(litLines(clock, { module: "server", side: "c", build: 2 })).toEqual(["7 line current tone-ok"]);
    expect(litLines(clock, { module: "server", side: "c", build: 1 })).toEqual([]);
    clock.dispose();
  });
});
