import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hexdumpText } from "../client/src/dock/hexdump.ts";
import { splitPrintkLevel, vsprintf } from "../shared/kernelLog/printk.ts";
import { readFileSync } from "node:fs";
import { dmesgText, kernelRecord, LOG_LINE_MAX } from "../client/src/dock/printkRecord.ts";
import { lastReceived } from "../client/src/dock/receivedBytes.ts";
import { printkFormats } from "../shared/listings/realKernelLines.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";

const ones = (n: number) => new Uint8Array(n).fill(1);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("hexdump -C", () => {
  const samples: Record<string, Uint8Array> = {
    "1024 bytes of 0x01": ones(1024),
    "a short mixed line": Buffer.from("Hello, kernel!\x00\x01\x7f\x80\xff abc", "latin1"),
    "repeats broken by a change": Uint8Array.from([...ones(48), 2, ...ones(40)]),
    "exactly one line": ones(16),
  };

  it("prints 1024 bytes of 0x01 as one line, a star and the length", () => {
    expect(hexdumpText(ones(1024))).toBe(
      [
        "00000000  01 01 01 01 01 01 01 01  01 01 01 01 01 01 01 01  |................|",
        "*",
        "00000400",
      ].join("\n"),
    );
  });

  for (const [name, bytes] of Object.entries(samples)) {
    it.runIf(existsSync("/usr/bin/hexdump"))(`matches util-linux hexdump -C for ${name}`, () => {
      const real = execFileSync("/usr/bin/hexdump", ["-C"], { input: bytes })
        .toString("latin1")
        .replace(/\n$/, "");
      expect(hexdumpText(bytes)).toBe(real);
    });
  }
});

describe("what printk stores", () => {
  it("cuts the published %s of 1024 unterminated 0x01 bytes to LOG_LINE_MAX - 1 bytes, knowing it read past the buffer", () => {
    const record = kernelRecord("receive message:\n %s\n", [{ bytes: ones(1024), terminated: false }]);
    expect(record.readPastEnd).toBe(true);
    expect(record.cut).toBe(true);
    expect(record.text.length).toBe(LOG_LINE_MAX - 1);
    expect(text(record.text)).toBe(`receive message:\n ${"\x01".repeat(LOG_LINE_MAX - 1 - 18)}`);
  });

  it("keeps 989 bytes of a pr_info() record: its KERN_INFO prefix counts in the cut and is stripped after it", () => {
    const record = kernelRecord("\x016server: receive message (%d bytes): %.*s\n", [
      1024,
      1024,
      { bytes: ones(1024), terminated: true },
    ]);
    expect(record).toMatchObject({ cut: true, prefixLength: 2, textMax: 989, readPastEnd: false });
    expect(text(record.text)).toBe(`server: receive message (1024 bytes): ${"\x01".repeat(951)}`);
  });

  it("stops %.*s at its count and keeps the record whole when it fits", () => {
    const record = kernelRecord("server: got %d: %.*s\n", [
      5,
      5,
      { bytes: Buffer.from("hello, world"), terminated: true },
    ]);
    expect(text(record.text)).toBe("server: got 5: hello");
    expect(record).toMatchObject({ readPastEnd: false, cut: false, fullLength: 21, unknownTail: false });
  });

  it("says the tail is unknown when a short unterminated buffer ends before the record is full", () => {
    const record = kernelRecord("msg: %s\n", [{ bytes: ones(10), terminated: false }]);
    expect(record).toMatchObject({ readPastEnd: true, cut: false, unknownTail: true, fullLength: undefined });
    expect(record.text.length).toBe(15);
  });

  it("stops %s at the first NUL inside the buffer", () => {
    const record = kernelRecord("[%s]\n", [
      { bytes: Uint8Array.from([0x41, 0x42, 0, 0x43]), terminated: false },
    ]);
    expect(text(record.text)).toBe("[AB]");
  });
});

describe("the Bytes view's record, for the listing's own printk call", () => {
  /** A receive of 1024 bytes of 0x01 in `variant`'s server, then the printk that printed them. */
  function received(variant: "published" | "fixed") {
    const cText = readFileSync(`shared/listings/${variant}/server.c`, "utf8");
    const printk = printkFormats(cText).find((f) => /receive message/.test(f.format))!;
    const events = [
      {
        type: "step",
        seq: 1,
        t: 1,
        module: "server",
        variant,
        step: "kernel_recvmsg",
        phase: "exit",
        cLine: 1,
        tsLine: 1,
        result: 1024,
        data: { base64: Buffer.from(ones(1024)).toString("base64"), length: 1024, bufferSize: 1024 },
      },
      { type: "printk", seq: 2, t: 1, source: "server", text: "", cLine: printk.cLine },
    ] as LabEvent[];
    // Only cText is read from a bundled listing.
    const listings = { [variant]: { server: { cText } } } as unknown as Parameters<typeof lastReceived>[1];
    return lastReceived(events, listings)?.printed;
  }

  it("keeps 991 bytes of the published printk (no level) and 989 of the fixed server's pr_info", () => {
    expect(received("published")).toMatchObject({
      call: "printk",
      record: { textMax: 991, prefixLength: 0 },
    });
    expect(received("published")?.record.text.length).toBe(991);
    const fixed = received("fixed");
    expect(fixed).toMatchObject({ call: "pr_info", record: { textMax: 989, prefixLength: 2, cut: true } });
    expect(text(fixed!.record.text)).toBe(`server: receive message (1024 bytes): ${"\x01".repeat(951)}`);
  });
});

describe("what dmesg shows", () => {
  it("writes control bytes as \\xNN and keeps newlines and tabs, as util-linux dmesg does", () => {
    expect(dmesgText(Uint8Array.from([0x61, 0x01, 0x0a, 0x09, 0x7f, 0x5c, 0x80]))).toBe(
      "a\\x01\n\t\\x7f\\\\x80",
    );
  });
});

describe("printk levels and %.*s in the lab's printk", () => {
  it("splits a KERN_ prefix off the format and gives an unprefixed one the default level 4", () => {
    expect(splitPrintkLevel("\x016server init:\n")).toEqual({
      level: 6,
      body: "server init:\n",
      prefix: "\x016",
    });
    expect(splitPrintkLevel("\x013oops\n")).toEqual({ level: 3, body: "oops\n", prefix: "\x013" });
    expect(splitPrintkLevel("server init:\n")).toEqual({ level: 4, body: "server init:\n", prefix: "" });
    // printk_parse_prefix() walks every prefix; the first level named is the record's.
    expect(splitPrintkLevel("\x01c\x016cont\n")).toMatchObject({ level: 6, body: "cont\n" });
  });

  it("prints at most the given count of a buffer's bytes with %.*s", () => {
    expect(vsprintf("(%d bytes): %.*s\n", [3, 3, Uint8Array.from([1, 1, 1, 1])])).toBe("(3 bytes): ^A^A^A\n");
    expect(vsprintf("%.*s|%s", [2, "abcdef", "xyz"])).toBe("ab|xyz");
  });
});
