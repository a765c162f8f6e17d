import { describe, expect, it } from "vitest";
import { parseBuildOutput } from "../server/realKernel/gccDiagnostics.ts";
import { LearnerBuildQueue } from "../server/realKernel/learnerBuildQueue.ts";

/** gcc 12's -fdiagnostics-format=json for a warning with a note, as kbuild's stderr carries it. */
const GCC_JSON = JSON.stringify([
  {
    kind: "warning",
    message: "argument to 'sizeof' in 'memset' call is the same expression as the destination",
    option: "-Wsizeof-pointer-memaccess",
    locations: [{ caret: { file: "/build/server.c", line: 41, column: 22, "byte-column": 22 } }],
    children: [
      {
        kind: "note",
        message: "did you mean to dereference it?",
        locations: [{ caret: { file: "/build/server.c", line: 41, column: 5 } }],
      },
    ],
  },
  {
    kind: "error",
    message: "expected ';' before '}' token",
    locations: [{ caret: { file: "/usr/src/linux-headers-6.1/include/linux/net.h", line: 3, column: 1 } }],
  },
]);

describe("the sandboxed build's output", () => {
  it("turns gcc's JSON into diagnostics on the learner's lines, a header's kept apart", () => {
    const output = `make: Entering directory '/usr/src/x'\n${GCC_JSON}\n[]\nERROR: modpost: "sock_relase" [/build/server.ko] undefined!\n`;
    const { diagnostics, otherLines } = parseBuildOutput(output);
    expect(diagnostics[0]).toMatchObject({
      module: "server",
      line: 41,
      column: 22,
      severity: "warning",
      option: "-Wsizeof-pointer-memaccess",
    });
    expect(diagnostics[1]).toMatchObject({ module: "server", severity: "note", line: 41 });
    expect(diagnostics[2]).toMatchObject({
      module: null,
      severity: "error",
      file: "/usr/src/linux-headers-6.1/include/linux/net.h",
    });
    expect(otherLines).toEqual(['ERROR: modpost: "sock_relase" [server.ko] undefined!']);
  });

  it("says the diagnostics were cut when the output cap cut gcc's JSON", () => {
    const { diagnostics, otherLines } = parseBuildOutput(GCC_JSON.slice(0, 120));
    expect(diagnostics).toEqual([]);
    expect(otherLines[0]).toMatch(/cut off at the build's output cap/);
  });
});

describe("the learners' build queue", () => {
  it("runs one build at a time, tells the waiting their place and refuses a learner's second build", async () => {
    const queue = new LearnerBuildQueue(1);
    const alice = {};
    const bob = {};
    let release: () => void = () => undefined;
    const started: string[] = [];
    const bobPositions: number[] = [];
    queue.submit(
      alice,
      () =>
        new Promise<void>((done) => {
          started.push("alice");
          release = done;
        }),
      () => undefined,
    );
    expect(
      queue.submit(
        alice,
        async () => undefined,
        () => undefined,
      ),
    ).toBe(false);
    queue.submit(
      bob,
      async () => {
        started.push("bob");
      },
      (p) => bobPositions.push(p),
    );
    expect(started).toEqual(["alice"]);
    expect(bobPositions).toEqual([1]);
    release();
    await expect.poll(() => started).toEqual(["alice", "bob"]);
    await expect.poll(() => queue.size).toEqual({ running: 0, waiting: 0 });
    expect(
      queue.submit(
        alice,
        async () => undefined,
        () => undefined,
      ),
    ).toBe(true);
  });

  it("drops the waiting build of a learner who left", async () => {
    const queue = new LearnerBuildQueue(1);
    let release: () => void = () => undefined;
    queue.submit(
      {},
      () =>
        new Promise<void>((done) => {
          release = done;
        }),
      () => undefined,
    );
    const leaver = {};
    let ran = false;
    queue.submit(
      leaver,
      async () => {
        ran = true;
      },
      () => undefined,
    );
    queue.cancel(leaver);
    release();
    await expect.poll(() => queue.size).toEqual({ running: 0, waiting: 0 });
    expect(ran).toBe(false);
  });
});
