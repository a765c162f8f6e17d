import { describe, expect, it } from "vitest";
import { fakeDuplex } from "./helpers/fakeDuplex.ts";
import { type ChannelAnswer, CommandChannel } from "../server/realKernel/commandChannel.ts";

const tick = () => new Promise((r) => setImmediate(r));

describe("the guest's command port", () => {
  it("writes nothing before the init says it reads the port, then the first command alone", async () => {
    const { port, written, answer } = fakeDuplex();
    const channel = new CommandChannel(port);
    channel.send({ id: 1, text: "insmod published server" });
    channel.send({ id: 2, text: "insmod published client" });
    await tick();
    expect(written).toEqual([]);
    answer("ready 6.1.0-57-cloud-amd64\n");
    await expect(channel.ready).resolves.toBe("6.1.0-57-cloud-amd64");
    expect(written).toEqual(["1 insmod published server\n"]);
    expect(channel.pending).toBe(2);
  });

  it("writes the next command only once the previous one is acknowledged, answers split across chunks included", async () => {
    const { port, written, answer } = fakeDuplex();
    const channel = new CommandChannel(port);
    answer("ready 6.1\n");
    for (let id = 1; id <= 3; id++) channel.send({ id, text: "sync - -" });
    await tick();
    expect(written).toHaveLength(1);
    answer("ack 2\n"); // not the one in flight: ignored
    await tick();
    expect(written).toHaveLength(1);
    answer("ac");
    await tick();
    answer("k 1\r\nack");
    await tick();
    expect(written).toEqual(["1 sync - -\n", "2 sync - -\n"]);
    answer(" 2\n");
    await tick();
    expect(written.at(-1)).toBe("3 sync - -\n");
  });

  it("writes a line again when the init could not read it (nak), and fails a command it does not take (bad)", async () => {
    const { port, written, answer } = fakeDuplex();
    const refused: number[] = [];
    const channel = new CommandChannel(
      port,
      (a) => a.kind === "result" && a.rc === 127 && refused.push(a.id),
    );
    answer("ready 6.1\n");
    channel.send({ id: 7, text: "insmod published server" });
    channel.send({ id: 8, text: "frobnicate - -" });
    await tick();
    answer("nak\n");
    await tick();
    expect(written).toEqual(["7 insmod published server\n", "7 insmod published server\n"]);
    expect(channel.resent).toBe(1);
    answer("ack 7\n");
    await tick();
    answer("bad 8\n");
    await tick();
    expect(refused).toEqual([8]);
    expect(channel.pending).toBe(0);
  });

  it("writes the line in flight again at once when the init answers a command it read cut short (an old id), not for an answer repeated for a line written twice", async () => {
    const { port, written, answer } = fakeDuplex();
    const channel = new CommandChannel(port);
    answer("ready 6.1\n");
    for (const id of [14, 15]) channel.send({ id, text: "insmod fixed server" });
    await tick();
    answer("ack 14\n");
    await tick();
    expect(written).toEqual(["14 insmod fixed server\n", "15 insmod fixed server\n"]);
    // Repeated for 14 (the host wrote 14 twice): nothing is written again.
    answer("ack 14\n");
    await tick();
    expect(written).toHaveLength(2);
    // "15 insmod …" read as "5 insmod …" (its first byte lost): taken by the init for a repeat of 5.
    answer("ack 5\n");
    await tick();
    expect(written).toEqual([
      "14 insmod fixed server\n",
      "15 insmod fixed server\n",
      "15 insmod fixed server\n",
    ]);
    expect(channel.resent).toBe(1);
    answer("ack 15\n");
    await tick();
    expect(channel.pending).toBe(0);
  });

  it("hands on a command's lines and exit status answered on the port, and nothing that only looks like them", async () => {
    const { port, answer } = fakeDuplex();
    const answers: ChannelAnswer[] = [];
    new CommandChannel(port, (a) => answers.push(a));
    answer("ready 6.1\n");
    answer("out 9    0: 0100007F:8888 00000000:0000 0A 00000000:00000000\nout 9 \n");
    answer("end 9 0\noutx 9 no\nend 9 zero\n");
    await tick();
    expect(answers).toEqual([
      { kind: "output", id: 9, text: "   0: 0100007F:8888 00000000:0000 0A 00000000:00000000" },
      { kind: "output", id: 9, text: "" },
      { kind: "result", id: 9, rc: 0 },
    ]);
  });

  it("drops what is queued when the port closes, and writes nothing after", async () => {
    const { port, written, answer } = fakeDuplex();
    const channel = new CommandChannel(port);
    channel.send({ id: 1, text: "sync - -" });
    channel.close();
    answer("ready 6.1\n");
    channel.send({ id: 2, text: "sync - -" });
    await tick();
    expect(written).toEqual([]);
    expect(channel.pending).toBe(0);
  });
});
