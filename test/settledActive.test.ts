import { describe, expect, it } from "vitest";
import { FOCUS_SETTLE_MS, roomFor } from "../client/src/layout/useSettledActive.ts";

const stepping = { activeHeld: false, stepMode: true };
const held = { activeHeld: true, stepMode: true };

describe("which module has the room while the lab moves", () => {
  it("keeps the pressed server's room while a continued client's calls pass, until they have lasted the settle time", () => {
    expect(roomFor("server", "client", stepping, 0)).toBe("server");
    expect(roomFor("server", "client", stepping, FOCUS_SETTLE_MS - 1)).toBe("server");
    expect(roomFor("server", "client", stepping, FOCUS_SETTLE_MS)).toBe("client");
  });

  it("gives the room at once to a module held before a call, though another is held too: the next press acts there", () => {
    expect(roomFor("server", "client", held, 0)).toBe("client");
  });

  it("out of step mode gives the room at once: no pane moves later, under a learner's pointer", () => {
    expect(roomFor("server", "client", { activeHeld: false, stepMode: false }, 0)).toBe("client");
  });

  it("gives the room at once when no module had it, and to nobody when the lab has moved none", () => {
    expect(roomFor(undefined, "client", stepping, 0)).toBe("client");
    expect(roomFor("server", undefined, stepping, 0)).toBeUndefined();
    expect(roomFor("server", "server", stepping, 0)).toBe("server");
  });
});
