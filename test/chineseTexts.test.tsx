import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, it } from "vitest";
import { UI_ZH } from "../client/src/i18n/locales/zh.ts";
import { Notices } from "../client/src/controls/Notices.tsx";
import { EngineSwitch } from "../client/src/realKernel/EngineSwitch.tsx";
import { VM_STOP_REASONS } from "../shared/protocol/engineMessages.ts";
import { idleReason } from "../server/realKernel/vmIdle.ts";
import { SocketStates } from "../client/src/dock/SocketStates.tsx";
import { PUBLISHED_BUGS } from "../shared/content/listingBugs.ts";
import { ServerEventSchema } from "../shared/protocol/messages.ts";
import { REAL_KERNEL_PORT } from "../shared/content/realKernelPort.ts";
import { TCP_STATE_WORDS } from "../shared/content/tcpStateWords.ts";
import { TCP_STATE_NAMES } from "../shared/protocol/tcpStates.ts";
import type { TcpRow } from "../shared/protocol/tcpStateMessages.ts";
import { labI18n } from "./helpers/i18n.ts";
import { renderedText } from "./helpers/renderedText.tsx";

const CJK = /[\u3400-\u9fff]/;
const PORT = 34952;
const row = (state: TcpRow["state"], local: number, remote: number): TcpRow => ({
  family: "ipv4",
  local: { address: "127.0.0.1", port: local },
  remote: { address: "127.0.0.1", port: remote },
  state,
  txQueue: 0,
  rxQueue: 0,
  inode: 7,
});

describe("the texts shared/ keeps in both languages", () => {
  it("say every published bug's title and detail in Chinese", () => {
    for (const bug of PUBLISHED_BUGS) {
      expect(bug.title.zh, bug.id).toMatch(CJK);
      expect(bug.detail.zh, bug.id).toMatch(CJK);
    }
  });

  it("keep the kernel's own words untranslated in the Chinese bug texts", () => {
    const warning = PUBLISHED_BUGS.find((bug) => bug.id === "server-init-returns-count");
    expect(warning?.detail.zh).toContain(
      "'server'->init suspiciously returned 1024, it should follow 0/-E convention",
    );
    expect(PUBLISHED_BUGS.find((bug) => bug.id === "server-memset-sizeof")?.title.zh).toContain(
      "sizeof(char *)",
    );
  });

  it("say each TCP state and each real-kernel port edit in Chinese", () => {
    for (const state of TCP_STATE_NAMES) expect(TCP_STATE_WORDS[state].zh, state).toMatch(CJK);
    for (const edit of REAL_KERNEL_PORT) {
      expect(edit.why.zh).toMatch(CJK);
      expect(edit.source.zh).toMatch(CJK);
      // The declarations cited are C: the same code in both languages.
      expect(edit.source.zh.match(/`[^`]*`/g) ?? []).toEqual(edit.source.en.match(/`[^`]*`/g) ?? []);
    }
  });
});

describe("the Socket states pane in Chinese", () => {
  it("names each row's owner and explains a leaked client's CLOSE_WAIT in Chinese, the states as the kernel names them", () => {
    const shown = renderedText(
      "zh",
      <SocketStates
        snapshot={{
          type: "tcp.state",
          seq: 1,
          t: 0,
          rows: [row("FIN_WAIT2", PORT, 50000), row("CLOSE_WAIT", 50000, PORT)],
        }}
        labPort={PORT}
      />,
    );
    expect(shown).toContain(
      `${UI_ZH.sockets.roles.server} 127.0.0.1:34952 127.0.0.1:50000 FIN_WAIT2 ${TCP_STATE_WORDS.FIN_WAIT2.zh}`,
    );
    expect(shown).toContain(`${UI_ZH.sockets.roles.client} 127.0.0.1:50000 127.0.0.1:34952 CLOSE_WAIT`);
    expect(shown).toContain("直到重启");
    expect(shown).not.toMatch(/\b(the|is|waiting|socket states)\b/i);
  });
});

describe("notices", () => {
  const notice = (code: string, message: string) => ({ id: 1, code, message });
  const full = ServerEventSchema.parse({
    type: "error",
    code: "full",
    message: "This lab server is full: it holds 1 labs at once. Try again in a few minutes.",
  });

  it("show the server's own words in English", () => {
    if (full.type !== "error") throw new Error("not an error event");
    expect(
      renderedText("en", <Notices notices={[notice(full.code, full.message)]} onDismiss={() => {}} />),
    ).toContain(full.message);
  });

  it("say each of the server's error codes in Chinese, and keep a refused call's detail as the server wrote it", () => {
    const codes = ServerEventSchema.options.flatMap((o) => ("code" in o.shape ? o.shape.code.options : []));
    for (const code of codes)
      expect(UI_ZH.notices.codes[code as keyof typeof UI_ZH.notices.codes], code).toMatch(CJK);
    const refused = "the lab refused to connect 10.0.0.1:80: lab sockets use 127.0.0.1:34952 only";
    const shown = renderedText(
      "zh",
      <Notices
        notices={[notice("full", "This lab server is full"), notice("refused", refused)]}
        onDismiss={() => {}}
      />,
    );
    expect(shown).toContain(UI_ZH.notices.codes.full);
    expect(shown).not.toContain("This lab server is full");
    expect(shown).toContain(`${UI_ZH.notices.codes.refused} ${refused}`);
  });
});

describe("the real kernel's stop notice", () => {
  const stopped = (reason: (typeof VM_STOP_REASONS)[number], idleMs?: number) =>
    ServerEventSchema.parse({
      type: "engine",
      engine: "real-kernel",
      status: "stopped",
      reason,
      idleMs,
      detail: reason === "idle" ? idleReason(idleMs ?? 0) : reason === "exited" ? "exit code 1" : reason,
    }) as Extract<ReturnType<typeof ServerEventSchema.parse>, { type: "engine" }>;
  const shown = (language: "en" | "zh", status: ReturnType<typeof stopped>) =>
    renderedText(
      language,
      <EngineSwitch status={status} variant="fixed" onSelect={() => {}} onRestart={() => {}} />,
    );

  it("says the idle power-off from its reason code in Chinese, not the server's English", () => {
    const idle = stopped("idle", 120_000);
    const zh = shown("zh", idle);
    expect(zh).toContain("2 分钟内没有加载任何模块");
    expect(zh).not.toContain(idle.detail);
    expect(zh).not.toMatch(/powered off|nothing loaded|next learner/);
    expect(shown("zh", stopped("idle", 2_000))).toContain("2 秒内");
    expect(shown("en", idle)).toContain("powered off after 2 min with nothing loaded and no command");
  });

  it("says every stop reason in Chinese, QEMU's own words on an exit marked English", () => {
    for (const reason of VM_STOP_REASONS) {
      const zh = shown("zh", stopped(reason, 60_000));
      expect(zh, reason).toMatch(CJK);
      // No run of two English words outside QEMU's own output (the engine's names "QEMU"/"insmod" are single terms).
      const prose = zh.replace("exit code 1", "");
      expect(prose, reason).not.toMatch(/[A-Za-z][a-z]+[ -][a-z]+/);
    }
    const html = renderToStaticMarkup(
      <I18nextProvider i18n={labI18n("zh")}>
        <EngineSwitch status={stopped("exited")} variant="fixed" onSelect={() => {}} onRestart={() => {}} />
      </I18nextProvider>,
    );
    expect(html).toContain('<code lang="en">exit code 1</code>');
  });
});
