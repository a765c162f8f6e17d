import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SyscallLine } from "../shared/protocol/syscallMessages.ts";
import { SyscallAttribution } from "../server/syscalls/syscallAttribution.ts";
import { StraceReader } from "../server/syscalls/straceLine.ts";

/** strace's output of a traced lab here (strace 6.1, Node 20): the published server and client, port 34952. */
const RUN = readFileSync(new URL("./fixtures/strace-published-run.txt", import.meta.url), "utf8").split("\n");

function attribute(lines: readonly string[], port = 34952): SyscallLine[] {
  const reader = new StraceReader();
  const attribution = new SyscallAttribution(port);
  return lines.flatMap((text) => {
    const line = reader.read(text);
    return line ? attribution.take(line) : [];
  });
}

const texts = (lines: SyscallLine[], module: string, step: string) =>
  lines.filter((l) => l.module === module && l.step === step).map((l) => l.text);

describe("reading strace's lines", () => {
  it("reads a call's name, arguments, return value, errno and socket inodes", () => {
    const line = new StraceReader().read(
      '[pid 18004] 1796650935.537953 connect(21<socket:[547841]>, {sa_family=AF_INET, sin_port=htons(34952), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
    );
    expect(line).toMatchObject({
      kind: "call",
      pid: 18004,
      epoch: 1796650935.537953,
      name: "connect",
      value: -1,
      errno: "EINPROGRESS",
      argInodes: [547841],
    });
  });

  it("reads the socket a call returned", () => {
    const line = new StraceReader().read(
      "1796650935.661952 accept4(19<socket:[546813]>, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = 22<socket:[547846]>",
    );
    expect(line).toMatchObject({ kind: "call", value: 22, retInode: 547846, argInodes: [546813] });
  });

  it("joins a call another thread interrupted (<unfinished ...> and <... read resumed>)", () => {
    const reader = new StraceReader();
    expect(
      reader.read("[pid 18004] 1796650935.789772 read(22<socket:[547846]>,  <unfinished ...>"),
    ).toBeUndefined();
    expect(
      reader.read("[pid 18015] 1796650935.789795 read(20</proc/18004/net/tcp>,  <unfinished ...>"),
    ).toBeUndefined();
    const joined = reader.read(
      '[pid 18004] 1796650935.790026 <... read resumed>"\\1\\1\\1\\1"..., 65536) = 1024',
    );
    expect(joined).toMatchObject({ kind: "call", name: "read", value: 1024, argInodes: [547846] });
  });

  it("keeps a line it cannot read as it is, and never throws on any text", () => {
    const reader = new StraceReader();
    expect(reader.read("strace: Process 42 detached")).toEqual({
      kind: "raw",
      text: "strace: Process 42 detached",
    });
    expect(reader.read("[pid 7] 1796650935.1 <... bind resumed>) = 0")).toMatchObject({ kind: "raw" });
    expect(reader.read("1796650935.1 bind(3<socket:[1]>, {sa_family=AF_INET")).toMatchObject({ kind: "raw" });
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 20 }), (lines) => {
        const attribution = new SyscallAttribution(34952);
        for (const text of lines) {
          const line = reader.read(text);
          if (line) attribution.take(line);
        }
      }),
    );
  });
});

describe("placing the lab's system calls by socket inode and the gate's step markers", () => {
  const lines = attribute(RUN);

  it("puts server.listen's socket, setsockopt, bind and listen in the bind step, with the lab's port", () => {
    expect(texts(lines, "server", "bind").map((t) => t.split("(")[0])).toEqual([
      "socket",
      "setsockopt",
      "bind",
      "listen",
    ]);
    expect(texts(lines, "server", "bind")[2]).toMatch(/htons\(34952\).* = 0$/);
  });

  it("finds no system call in sock_create_kern: Node opens the fd when it is used", () => {
    expect(texts(lines, "server", "sock_create_kern")).toEqual([]);
    expect(texts(lines, "client", "sock_create_kern")).toEqual([]);
  });

  it("puts connect's EINPROGRESS and getsockopt(SO_ERROR) in the connect step, the read of 1024 bytes in recvmsg, the write in sendmsg and close in the releases", () => {
    expect(texts(lines, "client", "connect").join("\n")).toMatch(/^connect\(.*= -1 EINPROGRESS/m);
    expect(texts(lines, "client", "connect").join("\n")).toMatch(/^getsockopt\(.*SO_ERROR.*= 0$/m);
    expect(texts(lines, "server", "kernel_recvmsg").join("\n")).toMatch(
      /^read\(22<socket:\[547846\]>, .*65536\) = 1024$/m,
    );
    expect(texts(lines, "client", "kernel_sendmsg")).toEqual([
      expect.stringMatching(/^write\(.*1024\) = 1024$/),
    ]);
    expect(texts(lines, "server", "sock_release_listener").join("\n")).toMatch(
      /^close\(19<socket:\[546813\]>\) = 0$/m,
    );
    expect(texts(lines, "server", "sock_release_conn").join("\n")).toMatch(
      /^close\(22<socket:\[547846\]>\) = 0$/m,
    );
  });

  it("gives accept4's socket to the server, and marks calls made between the module's calls as the event loop's", () => {
    expect(lines.find((l) => l.name === "accept4")).toMatchObject({ module: "server", step: "accept" });
    // The client's socket is read at its EOF after the client's last call: libuv's doing, not a module's.
    expect(lines.find((l) => l.text.startsWith('read(21<socket:[547841]>, ""'))).toMatchObject({
      module: "client",
      loop: true,
    });
  });

  it("never shows the worker's own IPC socket or its files", () => {
    expect(lines.filter((l) => /socket:\[543561\]|\/proc\/|\.so/.test(l.text))).toEqual([]);
  });

  it("times each line on the lab's clock, between its call's markers", () => {
    const bind = lines.find((l) => l.name === "bind");
    expect(bind?.stepAt).toBe(0.369519);
    expect(bind?.t).toBeGreaterThan(0.369519);
    expect(bind?.t).toBeLessThan(0.461205);
  });

  it("places a line strace printed unreadably where it came, shown raw", () => {
    const withJunk = [...RUN.slice(0, 180), "\u0000garbage {{{", ...RUN.slice(180)];
    const raw = attribute(withJunk).filter((l) => l.raw);
    expect(raw).toEqual([expect.objectContaining({ text: "\u0000garbage {{{", raw: true })]);
    expect(raw[0]?.t).toBeGreaterThan(0.369519);
  });
});
