import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { realKernelForTests } from "./helpers/realKernelRequirement.ts";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import {
  buildLineTable,
  functionSymbols,
  lineAt,
  listingLines,
} from "../server/realKernel/moduleLineTable.ts";
import { callOnLine, oopsFrames } from "../shared/listings/realKernelLines.ts";

const availability = realKernelForTests();
const listing = (module: "server" | "client") =>
  readFileSync(`shared/listings/published/${module}.c`, "utf8");

describe("an oops linked to the line that faulted", () => {
  it("reads gcc's .cold parts as functions of their own section from objdump -t", () => {
    const symbols = functionSymbols(
      [
        "0000000000000011 l     F .text.unlikely\t0000000000000192 myserver.cold",
        "0000000000000000 g     F .text\t00000000000000a8 myserver",
        "0000000000000000 l    d  .text\t0000000000000000 .text",
      ].join("\n"),
    );
    expect(symbols).toEqual([
      { name: "myserver.cold", section: ".text.unlikely", value: 0x11, size: 0x192 },
      { name: "myserver", section: ".text", value: 0, size: 0xa8 },
    ]);
  });

  it("takes, for each address, the first line in the listing's own file, past code inlined from headers", () => {
    const out = [
      "0x0000000000000176",
      "memset",
      "/usr/src/linux-headers/include/linux/fortify-string.h:288",
      "myserver",
      "/build/3d53.tmp/server.c:62 (discriminator 1)",
      "0x0000000000000177",
      "myserver",
      "/build/3d53.tmp/server.c:65",
    ].join("\n");
    expect([...listingLines(out, "server.c")]).toEqual([
      [0x176, 62],
      [0x177, 65],
    ]);
  });

  it("reads a call-trace entry as a return address (the call is the byte before) and the RIP as the instruction", () => {
    const table = { "myserver.cold": [0, 0, 64, 65, 66] };
    expect(lineAt(table, "myserver.cold", 4, true)).toBe(65);
    expect(lineAt(table, "myserver.cold", 4, false)).toBe(66);
    expect(lineAt(table, "myserver.cold", 1, false)).toBeUndefined();
    expect(lineAt(table, "other", 1, false)).toBeUndefined();
  });

  it("names the call a listing line makes, member calls whole, keywords skipped", () => {
    const c = [
      "ret=kernel_recvmsg(client_sock,&msg,&vec,1,1024,0);",
      'if((ret=sock->ops->accept(sock,x))<0){ printk("a(b)");',
    ].join("\n");
    expect(callOnLine(c, 1)).toBe("kernel_recvmsg");
    expect(callOnLine(c, 2)).toBe("sock->ops->accept");
    expect(callOnLine(c, 3)).toBeUndefined();
  });

  it.skipIf(!availability.ok)(
    "links a recorded oops's myserver.cold+0x166 through the built server.ko's DWARF to server.c line 65, kernel_recvmsg",
    async () => {
      if (!availability.ok) return;
      const { tools } = availability;
      const built = await buildPair(sourcesFor("published"), tools.release, tools.buildDir);
      if (!built.ok) throw new Error(built.output);
      const table = await buildLineTable(built.modules.server, "server.c");
      const oops = readFileSync("test/fixtures/published-server-oops.txt", "utf8");
      const frames = oopsFrames(oops, { server: listing("server"), client: listing("client") });
      const sure = frames.find((f) => f.symbol === "myserver.cold" && f.reliable && !f.rip);
      expect(sure).toMatchObject({ module: "server", listingModule: "server", offset: 0x166 });
      const line = lineAt(table, "myserver.cold", sure?.offset ?? -1, true);
      expect(line).toBe(65);
      expect(listing("server").split("\n")[64]).toContain("kernel_recvmsg(");
      expect(callOnLine(listing("server"), 65)).toBe("kernel_recvmsg");
    },
    300_000,
  );
});
