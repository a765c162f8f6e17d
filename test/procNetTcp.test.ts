import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatIpv6, parseProcNetTcp, readProcNetTcp } from "../server/kernelTruth/procNetTcp.ts";

const HEADER =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

describe("parsing /proc/net/tcp", () => {
  it("decodes the example row of Documentation/networking/proc_net_tcp.rst", () => {
    const row =
      "  46: 010310AC:9C4C 030310AC:1770 01 00000150:00000000 01:00000019 00000000  1000        0 54165785 4 cd1e6040 25 4 27 3 -1\n";
    expect(parseProcNetTcp(HEADER + row, "ipv4", true)).toEqual([
      {
        family: "ipv4",
        local: { address: "172.16.3.1", port: 40012 },
        remote: { address: "172.16.3.3", port: 6000 },
        state: "ESTABLISHED",
        txQueue: 0x150,
        rxQueue: 0,
        inode: 54165785,
      },
    ]);
  });

  it("reads a TIME_WAIT row, which no socket owns (inode 0), and state codes in hex", () => {
    const rows = [
      "   3: 0100007F:8E45 0100007F:8474 06 00000000:00000000 03:00000A44 00000000     0        0 0 3 000000007acd4cf1",
      "   4: 0100007F:8888 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 20564 1 0000000000000000 100 0 0 10 0",
      "   5: 0100007F:8888 0100007F:C350 08 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 20 4 30 10 -1",
    ];
    const parsed = parseProcNetTcp(HEADER + rows.join("\n"), "ipv4", true);
    expect(parsed.map((r) => [r.state, r.local.port, r.remote.port, r.rxQueue, r.inode])).toEqual([
      ["TIME_WAIT", 0x8e45, 0x8474, 0, 0],
      ["LISTEN", 0x8888, 0, 2, 20564],
      ["CLOSE_WAIT", 0x8888, 50000, 0, 777],
    ]);
  });

  it("reads the address words in the CPU's byte order: the same bytes on a big-endian machine", () => {
    const row =
      "   0: 7F000001:8888 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0\n";
    expect(parseProcNetTcp(HEADER + row, "ipv4", false)[0]?.local).toEqual({
      address: "127.0.0.1",
      port: 0x8888,
    });
  });

  it("decodes /proc/net/tcp6 addresses: ::1, IPv4-mapped and the unspecified address", () => {
    const rows = [
      "   0: 00000000000000000000000001000000:A57F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 194067 1 0",
      "   1: 0000000000000000FFFF00000100007F:8888 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 5 1 0",
    ];
    const parsed = parseProcNetTcp(HEADER + rows.join("\n"), "ipv6", true);
    expect(parsed.map((r) => [r.local.address, r.remote.address])).toEqual([
      ["::1", "::"],
      ["::ffff:127.0.0.1", "::ffff:127.0.0.1"],
    ]);
  });

  it("decodes only the rows of the ports asked for, at either end", () => {
    const rows = [
      "   0: 0100007F:8888 00000000:0000 0A 00000000:00008888 00:00000000 00000000     0        0 1 1 0",
      "   1: 0100007F:C350 0100007F:8888 01 00000000:00000000 00:00008888 00000000     0        0 2 1 0",
      "   2: 0100007F:0016 0100007F:C351 01 00008888:00000000 00:00000000 00000000     0        0 3 1 0",
      "   3: 0100007F:18888 0100007F:0016 01 00000000:00000000 00:00000000 00000000     0        0 4 1 0",
    ];
    const parsed = parseProcNetTcp(HEADER + rows.join("\n"), "ipv4", true, new Set([0x8888]));
    expect(parsed.map((r) => r.inode)).toEqual([1, 2]);
  });

  it("skips lines it cannot read instead of inventing rows", () => {
    expect(
      parseProcNetTcp(`${HEADER}garbage\n   0: XYZ:1 00000000:0000 0A 0:0 0 0 0 0 1\n\n`, "ipv4", true),
    ).toEqual([]);
  });
});

describe("IPv6 text", () => {
  it("writes addresses the RFC 5952 way", () => {
    const bytes = (groups: number[]) => groups.flatMap((g) => [g >> 8, g & 0xff]);
    expect(formatIpv6(bytes([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]))).toBe("2001:db8::1");
    expect(formatIpv6(bytes([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]))).toBe("2001:db8:0:1::1");
    expect(formatIpv6(bytes([0x2001, 0xdb8, 1, 1, 1, 1, 1, 1]))).toBe("2001:db8:1:1:1:1:1:1");
    expect(formatIpv6(bytes([0, 0, 0, 0, 0, 0, 0, 0]))).toBe("::");
  });
});

describe("reading the live tables", () => {
  it("finds a socket this test listens on, with its inode", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const read = await readProcNetTcp();
      if ("unavailable" in read) throw new Error(read.unavailable);
      const row = read.rows.find((r) => r.local.port === port);
      expect(row).toMatchObject({ family: "ipv4", state: "LISTEN", local: { address: "127.0.0.1", port } });
      expect(row!.inode).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });

  it("says the table is unavailable where /proc/net/tcp does not exist, and stands without tcp6", async () => {
    const dir = mkdtempSync(join(tmpdir(), "proc-net-"));
    expect(await readProcNetTcp(undefined, { ipv4: join(dir, "tcp"), ipv6: join(dir, "tcp6") })).toEqual({
      unavailable: expect.stringContaining("ENOENT"),
    });
    writeFileSync(
      join(dir, "tcp"),
      `${HEADER}   0: 0100007F:8888 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 9 1 0\n`,
    );
    const read = await readProcNetTcp(undefined, { ipv4: join(dir, "tcp"), ipv6: join(dir, "tcp6") });
    expect(read).toMatchObject({ rows: [{ state: "LISTEN" }] });
  });
});
