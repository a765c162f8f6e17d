import { describe, expect, it } from "vitest";
import { runRelease } from "../client/src/releases/runRelease.ts";
import { listings } from "../server/lab/listingSources.ts";
import { readRunFile, writeRunFile } from "../shared/protocol/runFile.ts";
import { deriveStepLines } from "../shared/listings/stepLines.ts";
import { MODULES, VARIANTS } from "../shared/protocol/steps.ts";
import { KERNEL_SERIES } from "../shared/releases/kernelSeries.ts";
import { initWarningFor } from "../shared/releases/initWarningByRelease.ts";
import { printkLimit } from "../shared/releases/releaseFacts.ts";
import { releaseLineChanges, shownListingText } from "../shared/releases/releaseListing.ts";

const source = (variant: (typeof VARIANTS)[number], module: (typeof MODULES)[number]) => {
  const pair = listings()[variant];
  if (!pair) throw new Error(`no ${variant} listing`);
  return pair[module];
};

describe("the listing pane's text for the picked release", () => {
  it("keeps every step on the same C line on every release, edits on and off, so lit lines still map", () => {
    for (const variant of VARIANTS)
      for (const module of MODULES) {
        const { cText, tsText } = source(variant, module);
        const bundled = deriveStepLines(variant, module, cText, tsText);
        for (const { name } of KERNEL_SERIES)
          for (const edits of [true, false]) {
            const shown = shownListingText(variant, module, cText, name, edits);
            expect(shown.split("\n")).toHaveLength(cText.split("\n").length);
            expect(deriveStepLines(variant, module, shown, tsText), `${variant} ${module} ${name}`).toEqual(
              bundled,
            );
          }
      }
  });

  it("shows the fixed listing as each release builds it: kernel_setsockopt before 5.8, sockaddr_unsized from 6.19", () => {
    const { cText } = source("fixed", "server");
    expect(shownListingText("fixed", "server", cText, "6.1", true)).toBe(cText);
    expect(shownListingText("fixed", "server", cText, "4.16", true)).toContain(
      "kernel_setsockopt(sock, SOL_SOCKET",
    );
    expect(shownListingText("fixed", "server", cText, "6.19", true)).toContain(
      "kernel_bind(sock, (struct sockaddr_unsized *)&s_addr",
    );
    expect(shownListingText("fixed", "server", cText, "6.19", false)).toBe(cText);
  });

  it("shows the published listing as published on every release, a note naming what each release builds on its lines", () => {
    const { cText } = source("published", "server");
    expect(shownListingText("published", "server", cText, "6.12", true)).toBe(cText);
    const changes = releaseLineChanges("published", "server", cText, "6.12", true);
    const accept = changes.find((c) => c.built.includes("sock->ops->accept("));
    expect(accept?.built).toContain("&(struct proto_accept_arg){ .flags = 10, .kern = true }");
    expect(accept?.changes.map((c) => c.since)).toEqual(["4.11", "6.10"]);
    expect(cText.split("\n")[(accept?.line ?? 0) - 1]).toContain("sock->ops->accept(sock,client_sock,10)");
    const create = changes.find((c) => c.built.includes("sock_create_kern("));
    expect(create?.changes.map((c) => c.commits[0])).toEqual(["eeb1bd5c40ed"]);
    expect(releaseLineChanges("published", "server", cText, "3.10", true)).toEqual([]);
    expect(releaseLineChanges("published", "server", cText, "6.12", false)).toEqual([]);
  });

  it("names on the fixed listing's 6.19 line the sockaddr_unsized change with the struct's commit and connect's", () => {
    const { cText } = source("fixed", "client");
    const [connect] = releaseLineChanges("fixed", "client", cText, "6.19", true);
    expect(connect?.built).toContain("kernel_connect(sock, (struct sockaddr_unsized *)&s_addr");
    expect(connect?.links[0]?.commits).toEqual(["bf33247a90d3", "85cb0757d7e1"]);
  });
});

describe("a line in the API a change replaced", () => {
  it("is named as before that change (the fixed listing's kernel_setsockopt on 4.16: before 5.8)", () => {
    const { cText } = source("fixed", "server");
    const [reuse] = releaseLineChanges("fixed", "server", cText, "4.16", true).filter((l) =>
      l.built.includes("kernel_setsockopt"),
    );
    expect(reuse?.links).toEqual([
      expect.objectContaining({ before: true, commits: ["5a892ff2facb", "b58f0e8f38c0"] }),
    ]);
  });
});

describe("an exported run's release", () => {
  const base = {
    appVersion: "0.1.0",
    date: "2026-12-07T15:00:00.000Z",
    variant: "fixed" as const,
    engine: "real-kernel" as const,
    events: [],
  };
  const read = (text: string) => {
    const reading = readRunFile(text, text.length);
    if (!reading.ok) throw new Error(reading.reason);
    return reading.run;
  };

  it("is carried by the file and restored when it is opened, edits off included", () => {
    const run = read(writeRunFile({ ...base, kernelSeries: "6.12", releaseEdits: false }));
    expect(runRelease(run)).toEqual({ release: "6.12", edits: false });
  });

  it("comes from the guest's uname -r in an older file without it, else the lab's default", () => {
    expect(runRelease(read(writeRunFile({ ...base, kernelRelease: "6.12.118+deb12-cloud-amd64" })))).toEqual({
      release: "6.12",
      edits: true,
    });
    expect(runRelease(read(writeRunFile({ ...base, engine: "node" })))).toEqual({
      release: "6.1",
      edits: true,
    });
  });
});

describe("facts by release", () => {
  it("names the run each record size was checked on: 5.10 and 6.1 (992), 6.12 and later (1024), older releases unchecked", () => {
    expect(printkLimit("5.10")).toMatchObject({ lineMax: 992, fixedReceiveOnes: 951, unchecked: false });
    expect(printkLimit("5.10").checkedOn).toContain("5.10.262");
    expect(printkLimit("6.1")).toMatchObject({ lineMax: 992, fixedReceiveOnes: 951, unchecked: false });
    expect(printkLimit("6.12")).toMatchObject({ lineMax: 1024, fixedReceiveOnes: 983 });
    expect(printkLimit("4.16").unchecked).toBe(true);
  });

  it("gives 7.1 and later the one-line init warning naming the module, 7.0 and earlier the two lines", () => {
    expect(initWarningFor("7.3").lines).toEqual([
      "%s: init suspiciously returned %d, it should follow 0/-E convention\n",
    ]);
    expect(initWarningFor("7.3").dumpStack).toBe(false);
    expect(initWarningFor("6.12").lines).toHaveLength(2);
  });
});
