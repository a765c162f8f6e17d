import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { type GuestLine, GuestOutputReader, parseGuestLine } from "../server/realKernel/guestOutput.ts";
import { OopsCollector } from "../server/realKernel/oopsCollector.ts";
import { VmPool } from "../server/realKernel/vmPool.ts";
import { functionLine, matchPrintk, oopsFrames, printkFormats } from "../shared/listings/realKernelLines.ts";
import { PortError, portListing, REAL_KERNEL_PORT } from "../shared/content/realKernelPort.ts";

const published = {
  server: readFileSync("shared/listings/published/server.c", "utf8"),
  client: readFileSync("shared/listings/published/client.c", "utf8"),
};

function lineNumberOf(text: string, needle: string): number {
  return text.split("\n").findIndex((line) => line.includes(needle)) + 1;
}

describe("the port of the published listing", () => {
  it("applies every edit once and never dials the author's LAN address", () => {
    const server = portListing("server", published.server);
    const client = portListing("client", published.client);
    expect(server).toContain("sock_create_kern(&init_net, AF_INET");
    expect(server).toContain("sock->ops->accept(sock,client_sock,10,true)");
    expect(client).toContain('in_aton("127.0.0.1")');
    expect(client).not.toContain("192.168.209.134");
    expect(REAL_KERNEL_PORT.every((edit) => edit.why && edit.source)).toBe(true);
  });

  it("keeps the line count, so the published listing's lines stay the lines that ran", () => {
    expect(portListing("server", published.server).split("\n")).toHaveLength(
      published.server.split("\n").length,
    );
    expect(portListing("client", published.client).split("\n")).toHaveLength(
      published.client.split("\n").length,
    );
  });

  it("refuses a listing the port no longer fits", () => {
    expect(() => portListing("server", "int main(void) { return 0; }")).toThrow(PortError);
  });
});

describe("mapping the real kernel's output to C lines", () => {
  const formats = { server: printkFormats(published.server), client: printkFormats(published.client) };

  it("finds the printk that printed a record, %s included", () => {
    expect(matchPrintk("server init:", formats)).toEqual({
      module: "server",
      cLine: lineNumberOf(published.server, 'printk("server init:'),
    });
    expect(matchPrintk("receive message:\n \\x01\\x01\\x01", formats)).toEqual({
      module: "server",
      cLine: lineNumberOf(published.server, 'printk("receive message'),
    });
    expect(matchPrintk("client: ret!=1024", formats)?.module).toBe("client");
  });

  it("knows the level prefix each call puts before its format: none for a bare printk, KERN_INFO for pr_info", () => {
    const fixed = printkFormats(readFileSync("shared/listings/fixed/server.c", "utf8"));
    const receive = fixed.find((f) => f.format.startsWith("server: receive message"));
    expect(receive).toMatchObject({ call: "pr_info", prefix: "\x016" });
    expect(fixed.find((f) => f.call === "pr_err")?.prefix).toBe("\x013");
    expect(formats.server.every((f) => f.call === "printk" && f.prefix === "")).toBe(true);
    expect(printkFormats('printk(KERN_WARNING "x %d\\n", 1);')[0]).toMatchObject({
      call: "printk",
      prefix: "\x014",
    });
  });

  it("leaves the kernel's own messages unmapped", () => {
    expect(matchPrintk("server: loading out-of-tree module taints kernel.", formats)).toBeUndefined();
    expect(
      matchPrintk("BUG: kernel NULL pointer dereference, address: 0000000000000090", formats),
    ).toBeUndefined();
  });

  it("links an oops' RIP and call-trace functions to the listing's definitions", () => {
    const oops = [
      "BUG: kernel NULL pointer dereference, address: 0000000000000090",
      "RIP: 0010:sock_recvmsg+0x3a/0x70",
      "Call Trace:",
      " <TASK>",
      " myserver.cold+0x166/0x192 [server]",
      " ? myserver.cold+0x192/0x192 [server]",
      " do_one_initcall+0x59/0x220",
    ].join("\n");
    const frames = oopsFrames(oops, published);
    expect(frames[0]).toMatchObject({ symbol: "sock_recvmsg", rip: true });
    expect(frames[0]?.cLine).toBeUndefined();
    expect(frames[1]).toMatchObject({
      symbol: "myserver.cold",
      name: "myserver",
      module: "server",
      reliable: true,
      textLine: 4,
      cLine: functionLine(published.server, "myserver"),
      listingModule: "server",
    });
    expect(frames[2]).toMatchObject({ reliable: false });
    expect(frames[3]).toMatchObject({ name: "do_one_initcall" });
    expect(frames[3]?.cLine).toBeUndefined();
    expect(functionLine(published.server, "server_init")).toBe(
      lineNumberOf(published.server, "static int server_init"),
    );
  });
});

describe("the other fault of the published pair", () => {
  it("links the client's function when its data wakes the kmalloc'd socket first (an oops in interrupt)", () => {
    const oops = [
      "BUG: kernel NULL pointer dereference, address: 0000000000000000",
      "RIP: 0010:__wake_up_common+0x4c/0x180",
      "Call Trace:",
      " <IRQ>",
      " sock_def_readable+0x3c/0x80",
      " </IRQ>",
      " <TASK>",
      " sock_sendmsg+0x6e/0xa0",
      " myclient.cold+0xfc/0x13c [client]",
      " ? myclient.cold+0x13c/0x13c [client]",
    ].join("\n");
    const frames = oopsFrames(oops, published);
    expect(frames[0]).toMatchObject({ name: "__wake_up_common", rip: true });
    expect(frames).toContainEqual(
      expect.objectContaining({
        name: "myclient",
        module: "client",
        listingModule: "client",
        cLine: functionLine(published.client, "myclient"),
      }),
    );
    expect(functionLine(published.client, "myclient")).toBe(
      lineNumberOf(published.client, "int myclient(void)"),
    );
  });
});

describe("reading the guest's console", () => {
  it("parses the kernel's records, the init's markers (user-space records) and other text", () => {
    expect(parseGuestLine("<6>[    1.373440] server init:\r")).toEqual({
      kind: "kmsg",
      level: 6,
      usec: 1373440,
      text: "server init:",
    });
    expect(parseGuestLine("<1>[    1.967149] BUG: kernel NULL pointer dereference")).toMatchObject({
      level: 1,
      usec: 1967149,
    });
    expect(parseGuestLine("<12>[    1.929358] @@ ready 6.1.0-56-cloud-amd64\r")).toEqual({
      kind: "ready",
      release: "6.1.0-56-cloud-amd64",
    });
    expect(
      parseGuestLine("<12>[    2.100000] @@> 3 insmod: can't insert 'client.ko': Connection refused"),
    ).toEqual({
      kind: "output",
      id: 3,
      text: "insmod: can't insert 'client.ko': Connection refused",
    });
    expect(parseGuestLine("<12>[    2.100000] @@ 3 rc=111")).toEqual({ kind: "result", id: 3, rc: 111 });
    // Only user space's records are the init's: the kernel's own (facility 0) never are, whatever they say.
    expect(parseGuestLine("<4>[    2.100000] @@ 3 rc=0")).toMatchObject({ kind: "kmsg", text: "@@ 3 rc=0" });
    expect(parseGuestLine("SeaBIOS (version 1.16.2)")).toEqual({
      kind: "shell",
      text: "SeaBIOS (version 1.16.2)",
    });
  });

  it("shows unprintable bytes as dmesg does, \\x01 for 0x01", () => {
    expect(
      parseGuestLine("<6>[    2.317482] server: receive message (3 bytes): \x01\x01\x01\r"),
    ).toMatchObject({
      text: "server: receive message (3 bytes): \\x01\\x01\\x01",
    });
  });

  it("joins the lines of a multi-line record, drops firmware noise, and keeps lines split across chunks whole", () => {
    vi.useFakeTimers();
    const lines: GuestLine[] = [];
    const reader = new GuestOutputReader((line) => lines.push(line));
    reader.push("\x1bcSeaBIOS (version 1.16.2)\r\n<6>[    0.000000] Linux version 6.1.0\r\n");
    reader.push(
      "<12>[    1.929358] @@ ready 6.1.0\r\n<4>[    2.000001] receive message:\r\n<4>[    2.000001]  \x01\x01\r\n<4>[    2.0",
    );
    reader.push("00002] next\r\n");
    expect(lines.map((l) => (l.kind === "kmsg" ? l.text : l.kind))).toEqual([
      "Linux version 6.1.0",
      "ready",
      "receive message:\n \\x01\\x01",
    ]);
    vi.advanceTimersByTime(100);
    expect(lines.at(-1)).toMatchObject({ kind: "kmsg", text: "next", usec: 2000002 });
    reader.dispose();
    vi.useRealTimers();
  });

  it("gathers an oops whole, up to the register dump after its end-trace line", () => {
    vi.useFakeTimers();
    const oopses: string[] = [];
    const collector = new OopsCollector((oops) => oopses.push(oops.text));
    const texts = [
      "server:listen ok!",
      "BUG: kernel NULL",
      "RIP: 0010:sock_recvmsg+0x3a/0x70",
      "---[ end trace 0 ]---",
    ];
    texts.push("RIP: 0010:sock_recvmsg+0x3a/0x70", "CR2: 0000000000000090", "server: next");
    for (const [i, text] of texts.entries()) collector.push({ kind: "kmsg", usec: i, level: 4, text });
    expect(oopses).toEqual([texts.slice(1, 6).join("\n")]);
    vi.useRealTimers();
  });
});

describe("the VM pool", () => {
  it("queues sessions beyond the bound and tells each its position as the queue moves", async () => {
    const pool = new VmPool(1);
    const positions: number[][] = [[], [], []];
    const first = pool.acquire((p) => positions[0]!.push(p));
    const second = pool.acquire((p) => positions[1]!.push(p));
    const third = pool.acquire((p) => positions[2]!.push(p));
    expect(positions).toEqual([[], [1], [2]]);
    (await first.granted).release();
    await second.granted;
    expect(positions[2]).toEqual([2, 1]);
    third.cancel();
    expect(pool.waiting).toBe(0);
    expect(pool.active).toBe(1);
  });
});
