import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import type { OopsRecord } from "../client/src/connection/labMoment.ts";
import { OopsDock } from "../client/src/dock/OopsDock.tsx";
import { type OopsDockState, oopsEntries } from "../client/src/dock/useOopsDock.ts";
import type { ServerEventOf } from "../shared/protocol/messages.ts";
import { labI18n } from "./helpers/i18n.ts";

/** The published server's oops (test/fixtures/published-server-oops.txt), as the server links it. */
const oops = (seq: number, t: number): ServerEventOf<"oops"> => ({
  type: "oops",
  seq,
  t,
  engine: "real-kernel",
  text: "BUG: kernel NULL pointer dereference, address: 0000000000000090\nRIP: 0010:sock_recvmsg+0x3a/0x70",
  frames: [
    { symbol: "sock_recvmsg", name: "sock_recvmsg", reliable: true, rip: true, textLine: 1, offset: 0x3a },
    {
      symbol: "myserver.cold",
      name: "myserver",
      module: "server",
      reliable: true,
      rip: false,
      textLine: 20,
      cLine: 28,
      listingModule: "server",
      offset: 0x166,
      line: 65,
      call: "kernel_recvmsg",
    },
  ],
});

const first: OopsRecord = { event: oops(40, 152.73), vm: 1, variant: "published" };
const second: OopsRecord = { event: oops(90, 8.2), vm: 2, variant: "published" };

const shown = (language: "en" | "zh", state: Omit<OopsDockState, "dismiss" | "showLine" | "focusFor">) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={labI18n(language)}>
      <OopsDock oops={{ ...state, dismiss: () => {}, showLine: () => {}, focusFor: () => undefined }} />
    </I18nextProvider>,
  );

describe("the dock's oops tab", () => {
  it("lists the newest oops first and marks the earlier VM's as before the reboot", () => {
    const entries = oopsEntries(
      { oopses: [first, second], vms: 2, stopped: false, variant: "published" },
      new Set(),
    );
    expect(entries.map((e) => [e.event.seq, e.vmState, e.otherListing])).toEqual([
      [90, "running", false],
      [40, "rebooted", false],
    ]);
    const html = shown("en", { entries });
    expect(html.indexOf("[8.200000]")).toBeLessThan(html.indexOf("[152.730000]"));
    expect(html).toContain("VM #2, running now");
    expect(html).toContain("VM #1, before the reboot");
    expect(html).toContain('aria-label="Dismiss oops from VM #1 at [152.730000]"');
    // The faulting function+offset, the C line that called it and that line's text.
    expect(html).toContain("Where the listing faulted: myserver.cold+0x166, server.c line 65:");
    expect(html).toContain("ret=kernel_recvmsg(client_sock,&amp;msg,&amp;vec,1,1024,0);");
  });

  it("marks every oops as not current once the VM is powered off, or the other listing is shown, and drops one dismissed", () => {
    const stopped = oopsEntries({ oopses: [second], vms: 2, stopped: true, variant: "published" }, new Set());
    expect(stopped.map((e) => e.vmState)).toEqual(["stopped"]);
    const fixed = oopsEntries(
      { oopses: [first, second], vms: 2, stopped: false, variant: "fixed" },
      new Set([40]),
    );
    expect(fixed.map((e) => [e.event.seq, e.otherListing])).toEqual([[90, true]]);
    const html = shown("en", { entries: fixed });
    expect(html).toContain("VM #2, running now — ran the “As published” listing, not the one shown");
    // Its frames are told, not links into a listing whose lines are not its own.
    expect(html).not.toMatch(/<button type="button">myserver/);
  });

  it("speaks Chinese: the VM, the fault and the dismiss button's name", () => {
    const entries = oopsEntries(
      { oopses: [first, second], vms: 2, stopped: false, variant: "published" },
      new Set(),
    );
    const html = shown("zh", { entries });
    expect(html).toContain("虚拟机 #1，重启之前");
    expect(html).toContain("虚拟机 #2，正在运行");
    expect(html).toContain('aria-label="关闭 oops（虚拟机 #1，时间 [152.730000]）"');
    expect(html).toContain("代码出错处：myserver.cold+0x166，server.c 第 65 行：");
  });
});
