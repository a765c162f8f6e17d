import { describe, expect, it } from "vitest";
import { draftFromFragment, MAX_SHARE_CHARS, shareFragment } from "../client/src/playground/shareLink.ts";

describe("a share link of the learner's C", () => {
  it("carries the edited module through the URL fragment and back", async () => {
    const draft = {
      base: "fixed" as const,
      edits: { server: '#include <linux/module.h>\nint x = 1; /* "mine" */\n' },
    };
    const fragment = await shareFragment(draft);
    expect(fragment).toMatch(/^#code=[A-Za-z0-9_-]+$/);
    expect(await draftFromFragment(fragment ?? "")).toEqual(draft);
  });

  it("refuses a draft whose link would pass the cap", async () => {
    // Random printable text does not compress: 40,000 characters stay well past the cap.
    const noise = Array.from(crypto.getRandomValues(new Uint8Array(40_000)), (b) =>
      String.fromCharCode(33 + (b % 94)),
    ).join("");
    expect(await shareFragment({ base: "published", edits: { client: noise } })).toBeUndefined();
    expect(MAX_SHARE_CHARS).toBeLessThan(32_000);
  });

  it("reads a damaged or foreign fragment as no draft", async () => {
    expect(await draftFromFragment("#code=not-deflate")).toBeUndefined();
    expect(await draftFromFragment("#step=3")).toBeUndefined();
    // 0xff…: a deflate block of the reserved type 3.
    expect(await draftFromFragment("#code=________")).toBeUndefined();
  });
});

describe("a run file with the learner's C", () => {
  it("carries the playground's draft and reads it back; a draft over the cap is refused", async () => {
    const { readRunFile, writeRunFile } = await import("../shared/protocol/runFile.ts");
    const run = {
      appVersion: "test",
      date: "2026-12-07T12:00:00.000Z",
      variant: "fixed" as const,
      engine: "node" as const,
      events: [],
      learnerSources: { base: "fixed" as const, edits: { server: "int mine;\n" } },
    };
    const text = writeRunFile(run);
    const reading = readRunFile(text, text.length);
    expect(reading.ok && reading.run.learnerSources).toEqual(run.learnerSources);
    const big = writeRunFile({
      ...run,
      learnerSources: { base: "fixed", edits: { client: "x".repeat(64 * 1024) } },
    });
    expect(readRunFile(big, big.length).ok).toBe(false);
  });
});
