import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { engineRuns } from "../client/src/recording/engineRuns.ts";
import { RecordedRunBanner } from "../client/src/recording/RecordedRunBanner.tsx";
import type { LabEvent } from "../shared/protocol/messages.ts";
import {
  RUN_FILE_FORMAT,
  RUN_FILE_VERSION,
  type RunFile,
  readRunFile,
  writeRunFile,
} from "../shared/protocol/runFile.ts";
import { labI18n } from "./helpers/i18n.ts";

type Stamp = Pick<LabEvent, "engine" | "run">;
const loading = (stamp: Stamp, variant: "published" | "fixed", seq: number, t: number): LabEvent => ({
  type: "module.state",
  module: "server",
  state: "loading",
  variant,
  seq,
  t,
  ...stamp,
});
const line = (stamp: Stamp, seq: number, t: number): LabEvent => ({
  type: "console",
  text: "$",
  seq,
  t,
  ...stamp,
});

/** The session: the Node lab at 109 s, a VM at 1.7 s, a second VM, the Node lab again at 170 s. */
const mixed: LabEvent[] = [
  loading({ engine: "node", run: 1 }, "published", 1, 109),
  line({ engine: "node", run: 1 }, 2, 109.5),
  line({ engine: "real-kernel", run: 2 }, 3, 0),
  loading({ engine: "real-kernel", run: 2 }, "fixed", 4, 1.7),
  {
    type: "kernel.boot",
    release: "6.12.9-amd64",
    records: [],
    seq: 5,
    t: 1.8,
    engine: "real-kernel",
    run: 2,
  },
  loading({ engine: "real-kernel", run: 3 }, "fixed", 6, 13),
  loading({ engine: "node", run: 4 }, "fixed", 7, 170),
];

const file = (events: LabEvent[]): RunFile => ({
  format: RUN_FILE_FORMAT,
  version: RUN_FILE_VERSION,
  appVersion: "0.1.0",
  date: "2026-12-07T16:00:00.000Z",
  variant: "fixed",
  engine: "real-kernel",
  events,
});

const banner = (language: "en" | "zh", run: RunFile) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={labI18n(language)}>
      <RecordedRunBanner run={run} onClose={() => {}} />
    </I18nextProvider>,
  );

describe("engine runs: each run labelled with its own engine and listing", () => {
  it("splits a session that switched engines and booted two VMs into its four runs, each with its own engine, listing and clock", () => {
    expect(engineRuns(mixed)).toEqual([
      { engine: "node", variants: ["published"], first: 0, events: 2 },
      { engine: "real-kernel", variants: ["fixed"], release: "6.12.9-amd64", first: 2, events: 3 },
      { engine: "real-kernel", variants: ["fixed"], first: 5, events: 1 },
      { engine: "node", variants: ["fixed"], first: 6, events: 1 },
    ]);
  });

  it("reads a run file recorded before runs were numbered: one run per engine switch", () => {
    const old = mixed.map(({ run: _run, ...event }) => event as LabEvent);
    const reading = readRunFile(writeRunFile(file(old)), 10_000);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(engineRuns(reading.run.events).map((r) => [r.engine, r.variants])).toEqual([
      ["node", ["published"]],
      ["real-kernel", ["fixed"]],
      ["node", ["fixed"]],
    ]);
  });

  it("labels an opened mixed session run by run in both languages, not by the engine used last", () => {
    const reading = readRunFile(writeRunFile(file(mixed)), 10_000);
    expect(reading.ok && reading.run.events.every((e) => e.run !== undefined)).toBe(true);
    const en = banner("en", file(mixed));
    expect(en).toContain(
      "4 runs: Node lab, As published; Real kernel (Linux 6.12.9-amd64), Fixed (Linux 6.x); Real kernel, Fixed (Linux 6.x); Node lab, Fixed (Linux 6.x).",
    );
    expect(en).not.toContain("Recorded run of");
    const zh = banner("zh", file(mixed));
    expect(zh).toContain("共 4 次运行");
    expect(zh).toContain("真实内核（Linux 6.12.9-amd64）");
    // One run: the file's own label, as before.
    expect(banner("en", file(mixed.slice(0, 2)))).toContain("Recorded run of");
  });
});
