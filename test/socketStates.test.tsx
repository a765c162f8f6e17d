import type { ReactElement } from "react";
import { renderToStaticMarkup as renderBare } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { SocketStates } from "../client/src/dock/SocketStates.tsx";
import type { TcpRow } from "../shared/protocol/tcpStateMessages.ts";
import { labI18n } from "./helpers/i18n.ts";

const english = labI18n("en");
/** The pane as the English page renders it. */
const renderToStaticMarkup = (element: ReactElement) =>
  renderBare(<I18nextProvider i18n={english}>{element}</I18nextProvider>);

const PORT = 34952;
const row = (state: TcpRow["state"], local: number, remote: number, inode = 7): TcpRow => ({
  family: "ipv4",
  local: { address: "127.0.0.1", port: local },
  remote: { address: "127.0.0.1", port: remote },
  state,
  txQueue: 0,
  rxQueue: 0,
  inode,
});
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");

describe("the Socket states pane", () => {
  it("says so where the kernel's table cannot be read", () => {
    const html = renderToStaticMarkup(
      <SocketStates
        snapshot={{
          type: "tcp.state",
          seq: 1,
          t: 0,
          rows: [],
          unavailable: "/proc/net/tcp cannot be read here (ENOENT)",
        }}
        labPort={PORT}
      />,
    );
    expect(text(html)).toContain("/proc/net/tcp cannot be read here (ENOENT)");
    expect(html).not.toContain("<table");
  });

  it("names each row's owner and explains a leaked client's CLOSE_WAIT", () => {
    const html = renderToStaticMarkup(
      <SocketStates
        snapshot={{
          type: "tcp.state",
          seq: 1,
          t: 0,
          rows: [row("FIN_WAIT2", PORT, 50000, 0), row("CLOSE_WAIT", 50000, PORT)],
        }}
        labPort={PORT}
      />,
    );
    const shown = text(html);
    expect(shown).toContain(
      "server: accepted connection (no socket owns it now) 127.0.0.1:34952 127.0.0.1:50000 FIN_WAIT2",
    );
    expect(shown).toContain("client socket 127.0.0.1:50000 127.0.0.1:34952 CLOSE_WAIT");
    expect(shown).toContain("until reboot");
  });

  it("tells an idle lab from one with no sockets", () => {
    expect(text(renderToStaticMarkup(<SocketStates snapshot={undefined} labPort={PORT} />))).toContain(
      "Idle",
    );
    expect(
      text(
        renderToStaticMarkup(
          <SocketStates snapshot={{ type: "tcp.state", seq: 1, t: 0, rows: [] }} labPort={PORT} />,
        ),
      ),
    ).toContain("No socket uses the lab's port 34952");
  });
});
