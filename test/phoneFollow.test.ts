import { describe, expect, it } from "vitest";
import { nextStart, phoneFollows } from "../client/src/layout/phoneFollow.ts";
import type { ModuleView } from "../client/src/connection/labView.ts";

const views = (server: ModuleView["state"], client: ModuleView["state"]) => ({
  server: { state: server },
  client: { state: client },
});

describe("what a phone's code view follows", () => {
  it("is the module just started while it is in the lab, whatever the other one does next", () => {
    const started = nextStart(nextStart(undefined, "server"), "client");
    expect(phoneFollows(started, false, views("live", "loading"))).toEqual({ module: "client", count: 2 });
    expect(phoneFollows(started, false, views("loading", "live"))).toEqual({ module: "client", count: 2 });
    expect(phoneFollows(started, false, views("live", "failed"))?.module).toBe("client");
  });

  it("gives the lab's own choice back once the started module is unloaded, and in step mode", () => {
    const started = nextStart(undefined, "client");
    expect(phoneFollows(started, false, views("live", "unloaded"))).toBeUndefined();
    expect(phoneFollows(started, true, views("live", "loading"))).toBeUndefined();
    expect(phoneFollows(undefined, false, views("live", "live"))).toBeUndefined();
  });

  it("counts each start, so starting the same module again scrolls to it again", () => {
    const once = nextStart(undefined, "server");
    expect(nextStart(once, "server")).toEqual({ module: "server", count: 2 });
  });
});
