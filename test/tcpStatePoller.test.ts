import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProcNetTcpRead } from "../server/kernelTruth/procNetTcp.ts";
import { labRows, type TcpSnapshot, TcpStatePoller } from "../server/kernelTruth/tcpStatePoller.ts";
import { TcpTable } from "../server/kernelTruth/tcpTable.ts";
import { MAX_TCP_ROWS, type TcpRow } from "../shared/protocol/tcpStateMessages.ts";

const PORT = 0x8888;

function row(state: TcpRow["state"], local: number, remote: number, rxQueue = 0): TcpRow {
  return {
    family: "ipv4",
    local: { address: "127.0.0.1", port: local },
    remote: { address: remote ? "127.0.0.1" : "0.0.0.0", port: remote },
    state,
    txQueue: 0,
    rxQueue,
    inode: local,
  };
}

/** A kernel table the test changes by hand, a count of how often it was read, and its shared reader. */
function fakeTable(initial: TcpRow[]) {
  const table = { rows: initial, reads: 0 };
  const read = async (): Promise<ProcNetTcpRead> => {
    table.reads++;
    return { rows: [...table.rows] };
  };
  return { table, shared: new TcpTable(read) };
}

let emitted: TcpSnapshot[];
let poller: TcpStatePoller | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  emitted = [];
});

afterEach(() => {
  poller?.dispose();
  vi.useRealTimers();
});

describe("the lab's rows", () => {
  it("keeps the rows whose local or remote port is the lab's, listener first, then the server's side, then the client's", () => {
    const rows = [
      row("ESTABLISHED", 50000, PORT),
      row("LISTEN", 22, 0),
      row("ESTABLISHED", PORT, 50000),
      row("LISTEN", PORT, 0),
    ];
    expect(labRows(rows, PORT).map((r) => [r.state, r.local.port])).toEqual([
      ["LISTEN", PORT],
      ["ESTABLISHED", PORT],
      ["ESTABLISHED", 50000],
    ]);
  });
});

describe("polling /proc/net/tcp", () => {
  it("does not read the table at all while the lab is idle", async () => {
    const { table, shared } = fakeTable([row("LISTEN", PORT, 0)]);
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: shared });
    await vi.advanceTimersByTimeAsync(5000);
    expect(table.reads).toBe(0);
    expect(emitted).toEqual([]);
  });

  it("polls every 50 ms while active and emits only when the lab's rows change", async () => {
    const { table, shared } = fakeTable([row("LISTEN", PORT, 0), row("LISTEN", 22, 0)]);
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: shared });
    poller.setActive(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(table.reads).toBeGreaterThanOrEqual(10);
    expect(emitted).toHaveLength(1);

    table.rows = [...table.rows, row("ESTABLISHED", PORT, 50000, 1024), row("ESTABLISHED", 50000, PORT)];
    await vi.advanceTimersByTimeAsync(60);
    expect(emitted).toHaveLength(2);
    expect(emitted[1]?.rows.map((r) => [r.state, r.rxQueue])).toEqual([
      ["LISTEN", 0],
      ["ESTABLISHED", 1024],
      ["ESTABLISHED", 0],
    ]);

    table.rows = [row("LISTEN", 22, 0)];
    await vi.advanceTimersByTimeAsync(60);
    expect(emitted.at(-1)?.rows).toEqual([]);
  });

  it("emits nothing when the kernel lists the same rows in another order, and the change when one row's queue moves", async () => {
    const rows = [row("ESTABLISHED", 50000, PORT), row("LISTEN", PORT, 0), row("ESTABLISHED", PORT, 50000)];
    const { table, shared } = fakeTable(rows);
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: shared });
    poller.setActive(true);
    await vi.advanceTimersByTimeAsync(60);
    expect(emitted).toHaveLength(1);
    table.rows = [rows[2]!, rows[0]!, rows[1]!];
    await vi.advanceTimersByTimeAsync(200);
    expect(emitted).toHaveLength(1);
    table.rows = [rows[2]!, rows[0]!, row("LISTEN", PORT, 0, 3)];
    await vi.advanceTimersByTimeAsync(60);
    expect(emitted.at(-1)?.rows.map((r) => [r.state, r.rxQueue])).toEqual([
      ["LISTEN", 3],
      ["ESTABLISHED", 0],
      ["ESTABLISHED", 0],
    ]);
  });

  it("goes on polling a little after the lab goes idle, until the rows settle, then stops", async () => {
    const { table, shared } = fakeTable([row("ESTABLISHED", PORT, 50000), row("ESTABLISHED", 50000, PORT)]);
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: shared });
    poller.setActive(true);
    await vi.advanceTimersByTimeAsync(100);
    poller.setActive(false);
    table.rows = [row("FIN_WAIT2", PORT, 50000), row("CLOSE_WAIT", 50000, PORT)];
    await vi.advanceTimersByTimeAsync(60);
    table.rows = [row("TIME_WAIT", PORT, 50000)];
    await vi.advanceTimersByTimeAsync(1000);
    expect(emitted.at(-1)?.rows.map((r) => r.state)).toEqual(["TIME_WAIT"]);
    expect(poller.watching).toBe(false);
    const reads = table.reads;
    await vi.advanceTimersByTimeAsync(5000);
    expect(table.reads).toBe(reads);
  });

  it("says once that the table is unavailable, and then stops reading", async () => {
    let reads = 0;
    const read = async (): Promise<ProcNetTcpRead> => {
      reads++;
      return { unavailable: "/proc/net/tcp cannot be read here (ENOENT)" };
    };
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: new TcpTable(read) });
    poller.setActive(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(emitted).toEqual([{ rows: [], unavailable: "/proc/net/tcp cannot be read here (ENOENT)" }]);
    expect(reads).toBe(1);
  });

  it("emits nothing after it is disposed, even from a read already under way", async () => {
    let release: (value: ProcNetTcpRead) => void = () => {};
    const read = () =>
      new Promise<ProcNetTcpRead>((resolve) => {
        release = resolve;
      });
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: new TcpTable(read) });
    poller.setActive(true);
    await vi.advanceTimersByTimeAsync(0);
    poller.dispose();
    release({ rows: [row("LISTEN", PORT, 0)] });
    await vi.advanceTimersByTimeAsync(200);
    expect(emitted).toEqual([]);
  });
});

describe("the shared table", () => {
  it("reads once per tick for every lab watching it, each with only its own rows", async () => {
    const { table, shared } = fakeTable([row("LISTEN", PORT, 0), row("LISTEN", 40000, 0)]);
    const other: TcpSnapshot[] = [];
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: shared });
    const second = new TcpStatePoller({ port: 40000, emit: (s) => other.push(s), table: shared });
    poller.setActive(true);
    second.setActive(true);
    await vi.advanceTimersByTimeAsync(490);
    expect(table.reads).toBeGreaterThanOrEqual(9);
    expect(table.reads).toBeLessThanOrEqual(11);
    expect(emitted[0]?.rows.map((r) => r.local.port)).toEqual([PORT]);
    expect(other[0]?.rows.map((r) => r.local.port)).toEqual([40000]);
    second.dispose();
  });

  it("asks the reader for the ports of its subscribers only, and stops when the last one leaves", async () => {
    const asked: number[][] = [];
    const shared = new TcpTable(async (ports) => {
      asked.push([...ports]);
      return { rows: [] };
    });
    const stopA = shared.subscribe(PORT, () => {});
    const stopB = shared.subscribe(40000, () => {});
    await vi.advanceTimersByTimeAsync(10);
    expect(asked.at(-1)).toEqual([PORT, 40000]);
    stopA();
    await vi.advanceTimersByTimeAsync(60);
    expect(asked.at(-1)).toEqual([40000]);
    stopB();
    const count = asked.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(asked.length).toBe(count);
    expect(shared.polling).toBe(false);
  });
});

describe("a long session's table", () => {
  it("sends at most MAX_TCP_ROWS rows, listener first, and counts the rest", async () => {
    const leaked = Array.from({ length: 300 }, (_, i) => row("CLOSE_WAIT", 40000 + i, PORT));
    const { shared } = fakeTable([row("LISTEN", PORT, 0), ...leaked]);
    poller = new TcpStatePoller({ port: PORT, emit: (s) => emitted.push(s), table: shared });
    poller.setActive(true);
    await vi.advanceTimersByTimeAsync(100);
    const last = emitted.at(-1)!;
    expect(last.rows).toHaveLength(MAX_TCP_ROWS);
    expect(last.rows[0]?.state).toBe("LISTEN");
    expect(last.omitted).toBe(301 - MAX_TCP_ROWS);
  });
});
