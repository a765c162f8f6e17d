import { describe, expect, it } from "vitest";
import { foldBootLog } from "../client/src/realKernel/bootLog.ts";
import { terminalLines } from "../client/src/connection/labView.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import { labI18n } from "./helpers/i18n.ts";

const boot: LabEvent = {
  type: "kernel.boot",
  seq: 1,
  t: 1.929358,
  release: "6.1.0-56-cloud-amd64",
  records: [
    { t: 0, text: "Linux version 6.1.0-56-cloud-amd64", level: 5 },
    { t: 0.000012, text: "Command line: console=ttyS0", level: 6 },
    { t: 1.422933, text: "Run /init as init process", level: 6 },
  ],
};
const events: LabEvent[] = [
  boot,
  { type: "console", seq: 2, t: 1.93, text: "$ insmod server.ko" },
  { type: "printk", seq: 3, t: 1.951681, source: "server", text: "server init:", cLine: 74 },
];
// The pane's own note is written faint; what a person reads is the text.
const visible = (line: string) => line.replaceAll("\x1b[2m", "").replaceAll("\x1b[0m", "");

describe("the real kernel's boot log in the printk pane", () => {
  it("is one line by default, spanning the kernel's stamps, before the modules' own lines", () => {
    const t = labI18n("en").t;
    const lines = terminalLines(events, (group) => foldBootLog(t, group)).map(visible);
    expect(lines).toEqual([
      "[    0.000000 … 1.929358] Linux 6.1.0-56-cloud-amd64 booted: 3 records folded away — press “Show the kernel's boot log” to read them",
      "$ insmod server.ko",
      "[    1.951681] server init:",
    ]);
  });

  it("is every record with the kernel's own timestamps once unfolded", () => {
    expect(terminalLines(events)).toEqual([
      "[    0.000000] Linux version 6.1.0-56-cloud-amd64",
      "[    0.000012] Command line: console=ttyS0",
      "[    1.422933] Run /init as init process",
      "$ insmod server.ko",
      "[    1.951681] server init:",
    ]);
  });

  it("says the same in Chinese", () => {
    const line = visible(foldBootLog(labI18n("zh").t, boot as Extract<LabEvent, { type: "kernel.boot" }>));
    expect(line).toContain("已启动：3 条记录已折叠");
  });
});
