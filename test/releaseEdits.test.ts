import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { portListing } from "../shared/content/realKernelPort.ts";
import { KERNEL_SERIES, compareReleases, seriesOf } from "../shared/releases/kernelSeries.ts";
import { changesAlreadyIn, releaseDiff } from "../shared/releases/listingDiff.ts";
import {
  API_CHANGES,
  changesBetween,
  listingForRelease,
  ReleaseEditError,
} from "../shared/releases/releaseEdits.ts";
import { MODULES, type ModuleName, VARIANTS, type Variant } from "../shared/protocol/steps.ts";

const text = (variant: Variant, module: ModuleName) =>
  readFileSync(`shared/listings/${variant}/${module}.c`, "utf8");

describe("each release's listing from one table of edits", () => {
  it("gives every listing on every release the lab names, each edit's text found exactly once", () => {
    for (const series of KERNEL_SERIES)
      for (const variant of VARIANTS)
        for (const module of MODULES)
          expect(() => listingForRelease(variant, module, text(variant, module), series.name)).not.toThrow();
  });

  it("builds for 6.1 exactly the listings the lab shows: the fixed one as is, the published one with the 6.1 port", () => {
    for (const module of MODULES) {
      expect(listingForRelease("fixed", module, text("fixed", module), "6.1")).toBe(text("fixed", module));
      expect(listingForRelease("published", module, text("published", module), "6.1")).toBe(
        portListing(module, text("published", module)),
      );
    }
  });

  it("keeps the published listing's bugs on every release: only the API's lines and the loopback address change", () => {
    for (const series of KERNEL_SERIES) {
      const built = listingForRelease("published", "server", text("published", "server"), series.name);
      expect(built).toContain("kmalloc(sizeof(struct socket),GFP_KERNEL)");
      expect(built).toContain("memset(recvbuf, 0, sizeof(recvbuf));");
      expect(built.split("\n")).toHaveLength(text("published", "server").split("\n").length);
    }
  });

  it("takes the accept call through 4.11's kern flag and 6.10's proto_accept_arg", () => {
    const at = (release: string) =>
      listingForRelease("published", "server", text("published", "server"), release).match(
        /sock->ops->accept\([^;]*;/,
      )?.[0];
    expect(at("4.2")).toBe("sock->ops->accept(sock,client_sock,10);");
    expect(at("4.11")).toBe("sock->ops->accept(sock,client_sock,10,true);");
    expect(at("6.12")).toBe(
      "sock->ops->accept(sock,client_sock,&(struct proto_accept_arg){ .flags = 10, .kern = true });",
    );
  });

  it("leaves the edits off on request, all but the lab's loopback rule", () => {
    const raw = listingForRelease("published", "client", text("published", "client"), "6.12", false);
    expect(raw).toContain("sock_create_kern(AF_INET");
    expect(raw).toContain('in_aton("127.0.0.1")');
  });

  it("refuses a listing that no longer holds an edit's text, naming the text", () => {
    expect(() => listingForRelease("published", "server", "int x;", "6.12")).toThrow(ReleaseEditError);
  });

  it("names every change's commits as 12 hex digits and orders the table by release", () => {
    for (const change of API_CHANGES) for (const c of change.commits) expect(c).toMatch(/^[0-9a-f]{12}$/);
    const sinces = API_CHANGES.map((c) => c.since);
    expect([...sinces].sort(compareReleases)).toEqual(sinces);
  });

  it("reads a series from a release name", () => {
    expect(seriesOf("6.12.118+deb12-cloud-amd64")).toBe("6.12");
    expect(seriesOf("6.1.0-57-cloud-amd64")).toBe("6.1");
    expect(seriesOf("2.6.32")).toBe("2.6.32");
    expect(compareReleases("6.9", "6.10")).toBeLessThan(0);
  });
});

describe("the diff between two releases", () => {
  const diff = (variant: Variant, module: ModuleName, from: string, to: string) =>
    releaseDiff(
      variant,
      module,
      listingForRelease(variant, module, text(variant, module), from),
      listingForRelease(variant, module, text(variant, module), to),
      from,
      to,
    );

  it("shows 4.2 → 6.19 of the published server as its accept and sockaddr_unsized hunks, each with its own commits", () => {
    const hunks = diff("published", "server", "4.2", "6.19");
    const commits = hunks.map((h) => h.links.flatMap((l) => l.commits));
    expect(hunks).toHaveLength(2);
    // The bind hunk: the struct's commit and bind's, not connect's.
    expect(commits[0]).toEqual(["bf33247a90d3", "0e50474fa514"]);
    expect(commits[1]).toEqual(["cdfbabfb2f0c", "92ef0fd55ac8"]);
    expect(hunks[1]?.lines.map((l) => l.kind)).toEqual(["removed", "added"]);
    expect(diff("published", "client", "4.2", "6.19")[0]?.links[0]?.commits).toEqual([
      "bf33247a90d3",
      "85cb0757d7e1",
    ]);
  });

  it("says sock_create_kern's struct net * is already in 4.2, on both sides of a 4.2 → 6.19 diff, with its commit", () => {
    for (const module of MODULES) {
      expect(changesAlreadyIn("published", module, "4.2", "6.19").map((c) => c.commits)).toEqual([
        ["eeb1bd5c40ed"],
      ]);
      expect(changesAlreadyIn("published", module, "6.19", "3.10")).toEqual([]);
    }
    expect(
      diff("published", "server", "4.2", "6.19").flatMap((h) => h.changes.map((c) => c.since)),
    ).not.toContain("4.2");
  });

  it("shows sock_create_kern's namespace hunk, with its commit, from any release before 4.2", () => {
    const hunks = diff("published", "client", "3.10", "6.19");
    expect(hunks[0]?.changes.map((c) => c.commits[0])).toEqual(["eeb1bd5c40ed"]);
    expect(hunks[0]?.lines.find((l) => l.kind === "added")?.text).toContain("sock_create_kern(&init_net");
  });

  it("lists the changes between two releases in either order, the ones no listing uses included", () => {
    expect(changesBetween("6.19", "4.2").map((c) => c.since)).toEqual([
      "4.11",
      "4.16",
      "4.17",
      "5.8",
      "6.10",
      "6.19",
    ]);
    expect(diff("fixed", "server", "6.1", "6.12")).toEqual([]);
  });
});
