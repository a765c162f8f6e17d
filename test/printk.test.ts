import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { visibleText } from "../shared/kernelLog/visibleText.ts";
import {
  caretNotation,
  dmesgStamp,
  formatDmesg,
  KERN_SOH,
  printkRecordText,
  printkTextMax,
  vsprintf,
} from "../shared/kernelLog/printk.ts";

describe("dmesg formatting", () => {
  it("stamps a record like dmesg: seconds padded to five places, microseconds to six", () => {
    expect(dmesgStamp(0.001234)).toBe("[    0.001234]");
    expect(dmesgStamp(12.5)).toBe("[   12.500000]");
    expect(formatDmesg(0.001234, "server:bind ok!\n")).toBe("[    0.001234] server:bind ok!");
  });

  it("indents the later lines of a multi-line record under its text", () => {
    expect(formatDmesg(1, "receive message:\n ^A^A\n")).toBe(
      "[    1.000000] receive message:\n                ^A^A",
    );
  });

  it("always yields a stamp of the same width for any time under 100000 s", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 99_999, noNaN: true }), (t) => dmesgStamp(t).length === 14),
    );
  });
});

describe("caret notation", () => {
  it("shows 0x01 as ^A so the received bytes are visible", () => {
    expect(caretNotation(new Uint8Array([1, 1, 1]))).toBe("^A^A^A");
    expect(caretNotation(new Uint8Array([0x7f, 0x41, 0x9b]))).toBe("^?A\\x9b");
  });

  it("never lets a control character other than newline through to the terminal", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const shown = caretNotation(bytes);
        return [...shown].every((c) => c === "\n" || (c >= " " && c < "\x7f"));
      }),
    );
  });
});

describe("vsprintf", () => {
  it("prints a byte buffer with %s up to its first NUL, as the kernel's %s does", () => {
    expect(vsprintf("receive message:\n %s\n", [new Uint8Array([1, 1, 0, 1])])).toBe(
      "receive message:\n ^A^A\n",
    );
  });

  it("formats numbers and a literal percent sign", () => {
    expect(vsprintf("ret=%d (%u%%)", [-111, 5])).toBe("ret=-111 (5%)");
  });
});

describe("printk records", () => {
  const KERN_INFO = `${KERN_SOH}6`;

  it("cuts a plain printk's record to LOG_LINE_MAX - 1 = 991 bytes, as vprintk_store() does on Debian 12's 6.1", () => {
    const text = printkRecordText("receive message:\n %s\n", [new Uint8Array(1024).fill(1)]);
    expect(text).toBe(`receive message:\n ${"^A".repeat(991 - 18)}`);
  });

  it("cuts a pr_info() record to 989 bytes: the KERN_INFO prefix fills 2 of the 991 and is stripped after the cut", () => {
    // Measured on the real kernel (test/realKernel.integration.test.ts): 38 bytes of text, then 951 of 0x01.
    const text = printkRecordText(`${KERN_INFO}server: receive message (%d bytes): %.*s\n`, [
      1024,
      1024,
      new Uint8Array(1024).fill(1),
    ]);
    expect(text).toBe(`server: receive message (1024 bytes): ${"^A".repeat(951)}`);
    expect(printkTextMax(KERN_INFO)).toBe(989);
    expect(printkTextMax("")).toBe(991);
  });

  it("keeps a record that fits whole, newline included, and never shows the level prefix", () => {
    expect(printkRecordText("server:bind ok!\n", [])).toBe("server:bind ok!\n");
    expect(printkRecordText(`${KERN_INFO}server:bind ok!\n`, [])).toBe("server:bind ok!\n");
    expect(printkRecordText(`${KERN_SOH}c${KERN_SOH}3two prefixes\n`, [])).toBe("two prefixes\n");
  });

  it("never stores more than 991 bytes less the level prefix, whatever the arguments and the level", () => {
    fc.assert(
      // Control bytes only (not NUL or newline): each shows as two characters, ^A to ^_.
      fc.property(
        fc.constantFrom("", `${KERN_SOH}4`, KERN_INFO, `${KERN_SOH}c${KERN_SOH}6`),
        fc.uint8Array({ min: 1, max: 0x1f, maxLength: 3000 }),
        (prefix, bytes) => {
          const shown = printkRecordText(`${prefix}%s`, [bytes.map((b) => (b === 0x0a ? 1 : b))]);
          return shown.length / 2 === Math.min(bytes.length, 991 - prefix.length);
        },
      ),
    );
  });
});

describe("text bound for the printk pane", () => {
  it("shows escape sequences, carriage returns and C1 controls in caret notation, keeping newlines and printable text", () => {
    expect(
      visibleText(
        "\x1b[2J\x1b[H\x1b[31;1mserver: expired\r\n\x1b]8;;https://x.example\x07login\x1b]8;;\x07\x9b2J\x7f é 汉",
      ),
    ).toBe("^[[2J^[[H^[[31;1mserver: expired^M\n^[]8;;https://x.example^Glogin^[]8;;^G\\x9b2J^? é 汉");
    expect(visibleText("[    1.000000] server: got ^A^A^A\n")).toBe("[    1.000000] server: got ^A^A^A\n");
  });
});
