import { describe, expect, it } from "vitest";
import type { OopsEntry } from "../client/src/dock/useOopsDock.ts";
import { modulesSharingTheRoom } from "../client/src/layout/sharedRoom.ts";

const entry = (vmState: OopsEntry["vmState"], otherListing = false) =>
  ({ vmState, otherListing, vm: 1, variant: "published" }) as OopsEntry;

describe("the modules that share the room instead of one having it", () => {
  it("are both modules while the dock lists an oops of the running VM, whichever module it marks", () => {
    expect(modulesSharingTheRoom([entry("running")])).toEqual(["server", "client"]);
  });

  it("are both modules after an oops that stopped the VM (a fatal exception in interrupt), until the next boot", () => {
    expect(modulesSharingTheRoom([entry("stopped")])).toEqual(["server", "client"]);
    expect(modulesSharingTheRoom([entry("rebooted")])).toEqual([]);
  });

  it("are none before an oops: the module the lab moved last has the room, as on the Node lab", () => {
    expect(modulesSharingTheRoom([])).toEqual([]);
  });

  it("are none when the only oopses are an earlier VM's or the other listing's", () => {
    expect(modulesSharingTheRoom([entry("rebooted"), entry("running", true)])).toEqual([]);
  });
});
