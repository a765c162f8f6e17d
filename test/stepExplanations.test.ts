import { describe, expect, it } from "vitest";
import { listings } from "../server/lab/listingSources.ts";
import {
  explanationSources,
  kernelFact,
  kernelSymbol,
  STEP_EXPLANATIONS,
} from "../shared/content/stepExplanations.ts";
import { C_CALL_MARKERS, MODULES, type StepId, VARIANTS } from "../shared/protocol/steps.ts";

describe("step explanations", () => {
  for (const module of MODULES) {
    const steps = new Set(
      VARIANTS.flatMap((variant) => Object.keys(C_CALL_MARKERS[variant][module]) as StepId[]),
    );

    it(`explains every step a ${module} listing makes, with a Linux 6.x kernel symbol`, () => {
      expect(steps.size).toBeGreaterThan(2);
      for (const step of steps) {
        const explanation = STEP_EXPLANATIONS[module][step];
        expect(explanation, step).toMatchObject({ symbol: expect.stringMatching(/^\w+$/) });
        const symbol = kernelSymbol(explanation!.symbol);
        expect(symbol?.signature6x, `${step}: ${explanation!.symbol}`).toMatch(
          new RegExp(`\\b${explanation!.symbol}\\b`),
        );
      }
    });

    it(`cites a source for both halves of every ${module} explanation, and only facts that exist`, () => {
      for (const [step, explanation] of Object.entries(STEP_EXPLANATIONS[module])) {
        for (const id of explanation!.factIds) expect(kernelFact(id)?.id, `${step}: fact ${id}`).toBe(id);
        const sources = explanationSources(explanation!);
        expect(sources.kernel.length, `${step} kernel`).toBeGreaterThan(0);
        expect(sources.node.length, `${step} node`).toBeGreaterThan(0);
        for (const source of [...sources.kernel, ...sources.node]) expect(source.url).toMatch(/^https?:\/\//);
        expect(explanation!.differs.en.length, step).toBeGreaterThan(40);
        expect(explanation!.differs.zh.length, step).toBeGreaterThan(20);
      }
    });
  }

  for (const variant of VARIANTS.filter((v) => listings()[v])) {
    for (const module of MODULES) {
      it(`declares the proto_ops member of each sock->ops call in the ${variant} ${module}.c`, () => {
        const { cText, map } = listings()[variant]![module];
        for (const [step, lines] of Object.entries(map.byStep)) {
          const call = /->ops->(\w+)\(/.exec(cText.split("\n")[lines!.cLine - 1] ?? "");
          if (!call) continue;
          expect(STEP_EXPLANATIONS[module][step as StepId]?.opsMember, step).toContain(`(*${call[1]})`);
        }
      });
    }
  }

  it("says for accept that libuv accepts before the module asks, and that the lab holds the connection", () => {
    const accept = STEP_EXPLANATIONS.server.accept!;
    expect(kernelSymbol(accept.symbol)?.signature6x).toBe(
      "int kernel_accept(struct socket *sock, struct socket **newsock, int flags);",
    );
    expect(accept.differs.en).toMatch(/libuv accepts for you/);
    expect(accept.differs.en).toMatch(/holds each accepted socket/);
    expect(accept.factIds).toContain("libuv-accepts-eagerly");
  });
});
