import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cListingPath } from "../shared/listings/listingFiles.ts";
import { locateBugs, PUBLISHED_BUGS } from "../shared/content/listingBugs.ts";
import { perModule } from "../shared/protocol/steps.ts";

const published = perModule((m) => readFileSync(cListingPath("published", m), "utf8"));

describe("the published listing's bug notes", () => {
  for (const bug of PUBLISHED_BUGS) {
    it(`finds the marker of ${bug.id} on exactly one line of ${bug.module}.c`, () => {
      const lines = published[bug.module].split("\n").filter((line) => line.includes(bug.marker));
      expect(lines).toHaveLength(1);
    });
  }

  it("annotates at least nine bugs, among them the nine the lesson names", () => {
    const ids = new Set(PUBLISHED_BUGS.map((b) => b.id));
    expect(ids.size).toBe(PUBLISHED_BUGS.length);
    expect(PUBLISHED_BUGS.length).toBeGreaterThanOrEqual(9);
    for (const id of [
      "server-socket-leak",
      "server-client-sock-kmalloc",
      "server-memset-sizeof",
      "server-printk-unterminated",
      "server-no-return-on-create-error",
      "client-never-releases",
      "server-init-blocks",
      "server-no-kern-level",
      "client-init-returns-count",
    ]) {
      expect(ids, id).toContain(id);
    }
  });

  it("cites a source for every bug", () => {
    for (const bug of PUBLISHED_BUGS) expect(bug.sources.length, bug.id).toBeGreaterThan(0);
  });

  it("places the notes on the lines they describe, in line order", () => {
    const server = locateBugs(published.server!, "server");
    const lines = published.server!.split("\n");
    expect(lines[server.find((b) => b.bug.id === "server-memset-sizeof")!.line - 1]).toContain(
      "memset(recvbuf, 0, sizeof(recvbuf))",
    );
    expect(server.map((b) => b.line)).toEqual([...server.map((b) => b.line)].sort((a, b) => a - b));
    expect(locateBugs(published.client!, "client").every((b) => b.bug.module === "client")).toBe(true);
  });
});
