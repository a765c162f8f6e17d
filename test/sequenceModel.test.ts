import { describe, expect, it } from "vitest";
import { describeItem, type SequenceItem, sequenceOf } from "../client/src/dock/sequenceModel.ts";
import { shownVariant } from "../client/src/listing/shownVariant.ts";
import type { LabEvent } from "../shared/protocol/messages.ts";
import type { TcpRow } from "../shared/protocol/tcpStateMessages.ts";
import { labI18n } from "./helpers/i18n.ts";

const { t } = labI18n("en");
const inEnglish = (item: SequenceItem) => describeItem(item, t);

const PORT = 34952;
let seq = 0;
const at = { variant: "fixed", cLine: 1, tsLine: 1 } as const;

function step(
  module: "server" | "client",
  name: string,
  phase: "enter" | "exit",
  result: number | null = null,
): LabEvent {
  return { type: "step", seq: ++seq, t: seq, module, step: name, phase, result, ...at } as LabEvent;
}

function tcp(...rows: [TcpRow["state"], number, number][]): LabEvent {
  const endpoint = (port: number) => ({ address: port ? "127.0.0.1" : "0.0.0.0", port });
  return {
    type: "tcp.state",
    seq: ++seq,
    t: seq,
    rows: rows.map(([state, local, remote]) => ({
      family: "ipv4",
      local: endpoint(local),
      remote: endpoint(remote),
      state,
      txQueue: 0,
      rxQueue: 0,
      inode: 1,
    })),
  };
}

describe("the sequence diagram's rows", () => {
  it("keeps a kthread's blocking accept apart from the kthread_run that started it", () => {
    const items = sequenceOf(
      [
        step("server", "kthread_run", "enter"),
        step("server", "accept", "enter"),
        step("server", "kthread_run", "exit", 0),
        step("server", "accept", "exit", 0),
      ],
      PORT,
    );
    expect(items.map(inEnglish)).toEqual([
      "server calls kthread_run and waits",
      "server calls accept and waits",
      "server: kthread_run returned 0",
      "server: accept returned 0",
    ]);
  });

  it("shows a call that returned at once as one row, with the segments it implies", () => {
    const items = sequenceOf(
      [
        step("client", "connect", "enter"),
        step("client", "connect", "exit", 0),
        step("client", "kernel_sendmsg", "enter"),
        step("client", "kernel_sendmsg", "exit", 1024),
      ],
      PORT,
    );
    expect(items.map(inEnglish)).toEqual([
      "client: connect returned 0",
      "client → server: SYN · SYN-ACK · ACK",
      "client: sendmsg returned 1024",
      "client → server: 1024 bytes",
    ]);
  });

  it("turns the kernel's state changes into state rows, and a CLOSE_WAIT into the FIN that caused it", () => {
    const items = sequenceOf(
      [
        tcp(["LISTEN", PORT, 0]),
        tcp(["LISTEN", PORT, 0], ["ESTABLISHED", PORT, 50000], ["ESTABLISHED", 50000, PORT]),
        tcp(["FIN_WAIT2", PORT, 50000], ["CLOSE_WAIT", 50000, PORT]),
      ],
      PORT,
    );
    expect(items.map(inEnglish)).toEqual([
      "server's listening socket is LISTEN",
      "server's socket is ESTABLISHED",
      "client's socket is ESTABLISHED",
      "server's socket is FIN_WAIT2",
      "server → client: FIN",
      "client's socket is CLOSE_WAIT",
      "server's listening socket leaves the kernel's table",
    ]);
  });
});

describe("the sequence diagram in Chinese", () => {
  it("tells the same rows in Chinese, keeping call names, TCP states and segments as the kernel names them", () => {
    const zh = labI18n("zh").t;
    const items = sequenceOf(
      [
        step("client", "connect", "enter"),
        step("client", "connect", "exit", 0),
        step("client", "kernel_sendmsg", "enter"),
        step("client", "kernel_sendmsg", "exit", 1024),
        tcp(["LISTEN", PORT, 0]),
        tcp(["CLOSE_WAIT", 50000, PORT]),
      ],
      PORT,
    );
    expect(items.map((item) => describeItem(item, zh))).toEqual([
      "客户端：connect 返回 0",
      "客户端 → 服务器：SYN · SYN-ACK · ACK",
      "客户端：sendmsg 返回 1024",
      "客户端 → 服务器：1024 字节",
      "服务器的监听 socket 处于 LISTEN",
      "服务器 → 客户端：FIN",
      "客户端的 socket 处于 CLOSE_WAIT",
      "服务器的监听 socket 从内核的表中消失",
    ]);
  });
});

describe("the listing a module shows", () => {
  it("is the one it runs while loading or loaded, and the selected one otherwise", () => {
    expect(shownVariant({ state: "live", variant: "published" }, "fixed")).toBe("published");
    expect(shownVariant({ state: "loading", variant: "fixed" }, "published")).toBe("fixed");
    expect(shownVariant({ state: "unloaded", variant: "published" }, "fixed")).toBe("fixed");
    expect(shownVariant({ state: "failed", variant: "published" }, "fixed")).toBe("fixed");
  });
});
