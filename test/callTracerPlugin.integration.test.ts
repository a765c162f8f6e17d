import { describe, expect, it } from "vitest";
import { callTracerPlugin } from "../server/realKernel/callTracer/callTracerPlugin.ts";
import { cachedQemu } from "../server/realKernel/qemuBinary.ts";

const qemu = cachedQemu();

describe("the call-tracer plugin", () => {
  it.skipIf(!qemu)(
    "builds with the host's gcc and answers a command from inside the QEMU the lab runs",
    async () => {
      const plugin = await callTracerPlugin(qemu?.path ?? "");
      expect(plugin).toMatch(/call-tracer\.so-[0-9a-f]{16}$/);
    },
    60_000,
  );

  it("is refused, with the reason, for a program that does not load it (the engine then traces through the gdbstub)", async () => {
    await expect(callTracerPlugin("/bin/false")).rejects.toThrow(/exited at once|QEMU/);
  }, 60_000);
});
