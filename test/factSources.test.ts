import { describe, expect, it } from "vitest";
import type { Source } from "../shared/content/bilingual.ts";
import { KERNEL_FACTS } from "../shared/content/kernelFacts.ts";
import { KERNEL_SYMBOLS } from "../shared/content/kernelSymbols.ts";
import { PUBLISHED_BUGS } from "../shared/content/listingBugs.ts";
import { MODULE_INIT_WARNING } from "../shared/content/moduleInitWarning.ts";
import { REAL_KERNEL_PORT } from "../shared/content/realKernelPort.ts";
import { explanationSources, KERNEL_EXTRAS, STEP_EXPLANATIONS } from "../shared/content/stepExplanations.ts";

/** One fact the lab states: its texts (both languages) and the sources it cites. */
type Fact = { where: string; texts: string[]; sources: readonly Source[] };

const FACTS: Fact[] = [
  ...[...KERNEL_SYMBOLS, ...KERNEL_EXTRAS].map((s) => ({
    where: `symbol ${s.symbol}`,
    texts: [s.status.en, s.status.zh],
    sources: s.sources,
  })),
  ...KERNEL_FACTS.map((f) => ({ where: `fact ${f.id}`, texts: [f.en, f.zh], sources: f.sources })),
  ...MODULE_INIT_WARNING.map((w) => ({
    where: `init warning ${w.versions.en}`,
    texts: [w.versions.en, w.versions.zh],
    sources: w.sources,
  })),
  ...PUBLISHED_BUGS.map((b) => ({
    where: `bug ${b.id}`,
    texts: [b.title.en, b.title.zh, b.detail.en, b.detail.zh],
    sources: b.sources,
  })),
  ...Object.entries(STEP_EXPLANATIONS).flatMap(([module, steps]) =>
    Object.entries(steps).map(([step, e]) => {
      const { kernel, node } = explanationSources(e!);
      return {
        where: `${module} step ${step}`,
        texts: [e!.differs.en, e!.differs.zh],
        sources: [...kernel, ...node],
      };
    }),
  ),
];

/** A commit id as the texts quote it: 12 hex digits, letters and digits both. */
const COMMIT_ID = /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12}\b/g;
/** A release as the texts name it: v4.2, v6.19, v7.1-rc1. */
const RELEASE = /\bv(\d+\.\d+)(?![.\d])/g;
/** Words that mark a fact as not checked: none may remain. */
const HEDGE = /unverified|not verified|not checked|not re-read|expected v\d|未核实|未重新核对|尚未在/i;

const cited = (sources: readonly Source[]) => sources.map((s) => `${s.label} ${s.url}`).join("\n");

/** What is wrong with a fact's list of sources: none at all, a label too short to find it, a bad link. */
const sourceProblems = (fact: Fact) => [
  ...(fact.sources.length === 0 ? ["cites no source"] : []),
  ...fact.sources.flatMap((source) => [
    ...(source.label.length > 10 ? [] : [`label too short: ${source.label}`]),
    ...(/^https?:\/\/\S+$/.test(source.url) ? [] : [`not a link: ${source.url}`]),
  ]),
];

/** The commit ids a fact's texts name that none of its sources names. */
const uncitedCommits = (fact: Fact) =>
  (fact.texts.join("\n").match(COMMIT_ID) ?? []).filter((id) => !cited(fact.sources).includes(id));

/** The releases a fact's texts name that none of its sources was read at. */
const uncitedReleases = (fact: Fact) =>
  [...fact.texts.join("\n").matchAll(RELEASE)]
    .map(([, version]) => version!)
    .filter(
      (version) => !new RegExp(`\\bv${version.replace(".", "\\.")}(?![.\\d])`).test(cited(fact.sources)),
    )
    .map((version) => `v${version}`);

describe("every fact the lab states", () => {
  it("holds the kinds of fact it should (symbols, kernel facts, bugs, step explanations)", () => {
    expect(KERNEL_SYMBOLS).toHaveLength(15);
    expect(FACTS.length).toBeGreaterThan(15 + KERNEL_FACTS.length + PUBLISHED_BUGS.length);
  });

  for (const fact of FACTS) {
    it(`cites at least one source, each with a label and a link: ${fact.where}`, () => {
      expect(sourceProblems(fact), fact.where).toEqual([]);
    });
  }

  it("cites, for every commit id a text names, a source that names that commit", () => {
    for (const fact of FACTS) expect(uncitedCommits(fact), `${fact.where} names them`).toEqual([]);
    for (const edit of REAL_KERNEL_PORT)
      for (const id of edit.why.en.match(COMMIT_ID) ?? []) expect(edit.source.en).toContain(id);
  });

  it("cites, for every release a kernel symbol's status or a kernel fact names, a source read at that release", () => {
    const checked = FACTS.filter((f) => /^(symbol|fact|init warning|bug) /.test(f.where));
    for (const fact of checked) expect.soft(uncitedReleases(fact), `${fact.where} names them`).toEqual([]);
  });

  it("marks no fact as unverified: every one was read where it says", () => {
    const all = [
      ...FACTS.flatMap((f) => [...f.texts, ...f.sources.map((s) => s.label)].map((t) => [f.where, t])),
      ...REAL_KERNEL_PORT.flatMap((e) =>
        [e.why.en, e.why.zh, e.source.en, e.source.zh].map((t) => ["port", t]),
      ),
    ];
    for (const [where, text] of all) expect(text, where).not.toMatch(HEDGE);
  });

  it("fails a fact that cites nothing, or names a commit or a release its sources do not", () => {
    // The very rules above, applied to facts made wrong on purpose, so they are seen to bite.
    const bare: Fact = { where: "bare", texts: ["removed in v4.16"], sources: [] };
    expect(sourceProblems(bare)).toEqual(["cites no source"]);
    const badSource: Fact = { where: "bad", texts: [], sources: [{ label: "net.h", url: "example.org" }] };
    expect(sourceProblems(badSource)).toEqual(["label too short: net.h", "not a link: example.org"]);
    const uncited: Fact = {
      where: "uncited",
      texts: ["removed by 5c59e564e46d in v4.16 and v6.19-rc1"],
      sources: [{ label: "include/linux/net.h, v4.16", url: "https://example.org/" }],
    };
    expect(sourceProblems(uncited)).toEqual([]);
    expect(uncitedCommits(uncited)).toEqual(["5c59e564e46d"]);
    expect(uncitedReleases(uncited)).toEqual(["v6.19"]);
    expect("the merge and release unverified").toMatch(HEDGE);
  });
});
