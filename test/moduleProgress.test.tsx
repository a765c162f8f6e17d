import type { ReactElement } from "react";
import { renderToStaticMarkup as renderBare } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { ModuleControls } from "../client/src/controls/ModuleControls.tsx";
import { labI18n } from "./helpers/i18n.ts";

const render = (element: ReactElement) =>
  renderBare(<I18nextProvider i18n={labI18n("en")}>{element}</I18nextProvider>)
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
const noop = () => {};

describe("a module's state while the real kernel gets ready", () => {
  it('says what the engine is doing instead of "not loaded"', () => {
    const html = render(
      <ModuleControls
        module="server"
        view={{ state: "unloaded" }}
        onLoad={noop}
        onUnload={noop}
        progress="booting Linux 6.1 — 1.4 s"
      />,
    );
    expect(html).toContain("booting Linux 6.1 — 1.4 s");
    expect(html).not.toContain("not loaded");
  });

  it("shows an insmod pressed before the VM is up as waiting for it", () => {
    const html = render(
      <ModuleControls
        module="client"
        view={{ state: "loading", variant: "fixed" }}
        onLoad={noop}
        onUnload={noop}
        progress="building modules…"
      />,
    );
    expect(html).toContain("insmod waits: building modules…");
  });

  it("shows the module's own state once the engine is ready (no progress)", () => {
    const html = render(
      <ModuleControls module="server" view={{ state: "unloaded" }} onLoad={noop} onUnload={noop} />,
    );
    expect(html).toContain("not loaded");
  });

  it("says an insmod waits for the whole VM paused at the other module's line, in both languages", () => {
    const waiting = (
      <ModuleControls
        module="client"
        view={{ state: "loading", variant: "fixed" }}
        onLoad={noop}
        onUnload={noop}
        vmPausedBy={{ module: "server", line: 71 }}
      />
    );
    expect(render(waiting)).toContain(
      "waiting — the whole VM is paused at server.c line 71, so nothing of this module runs yet",
    );
    const zh = renderBare(<I18nextProvider i18n={labI18n("zh")}>{waiting}</I18nextProvider>);
    expect(zh).toContain("整个虚拟机暂停在 server.c 第 71 行");
  });
});
