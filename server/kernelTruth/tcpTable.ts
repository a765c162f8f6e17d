import type { TcpRow } from "../../shared/protocol/tcpStateMessages.ts";
import { type ProcNetTcpRead, readProcNetTcp } from "./procNetTcp.ts";

export type TcpTableListener = (read: ProcNetTcpRead) => void;
export type TcpTableReader = (ports: ReadonlySet<number>) => Promise<ProcNetTcpRead>;

/**
 * One read of the kernel's TCP table per tick for the whole process, however many labs watch it:
 * the kernel prints every socket on the machine into /proc/net/tcp, which on a busy machine is
 * megabytes a read. The table polls every `intervalMs` while anyone is subscribed, not at all
 * otherwise, and decodes only the rows of the ports its subscribers asked for.
 */
export class TcpTable {
  private readonly subscribers = new Map<TcpTableListener, number>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly read: TcpTableReader = readProcNetTcp,
    private readonly intervalMs = 50,
  ) {}

  get polling(): boolean {
    return this.timer !== undefined || this.reading;
  }

  /** Delivers each read to `listener` until the returned function is called. */
  subscribe(port: number, listener: TcpTableListener): () => void {
    this.subscribers.set(listener, port);
    if (!this.polling) this.schedule(0);
    return () => {
      this.subscribers.delete(listener);
      if (this.subscribers.size === 0) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.subscribers.size === 0) return;
    this.reading = true;
    const began = performance.now();
    let result: ProcNetTcpRead;
    try {
      result = await this.read(new Set(this.subscribers.values()));
    } catch (err) {
      result = { unavailable: `the kernel's TCP table could not be read: ${(err as Error).message}` };
    } finally {
      this.reading = false;
    }
    const byPort = "rows" in result ? rowsByPort(result.rows) : undefined;
    for (const [listener, port] of [...this.subscribers])
      listener(byPort ? { rows: byPort.get(port) ?? [] } : result);
    // The kernel prints every socket of the machine for each read: when that grows slow (a
    // classroom's tens of thousands of TIME_WAIT rows), read less often rather than spend a core on it.
    const spent = performance.now() - began;
    if (this.subscribers.size > 0 && !this.timer)
      this.schedule(Math.max(this.intervalMs, READ_BACKOFF * spent));
  }
}

/** The next read waits this many times as long as the last one took: reading stays under a quarter of the time. */
const READ_BACKOFF = 3;

/** The process's table, shared by every session's lab. */
export const tcpTable = new TcpTable();

/**
 * The rows of each port, once per read: every lab then looks through its own few rows instead of
 * the whole classroom's (hundreds of labs × thousands of rows, 20 times a second).
 */
function rowsByPort(rows: readonly TcpRow[]): Map<number, TcpRow[]> {
  const byPort = new Map<number, TcpRow[]>();
  const add = (port: number, row: TcpRow) => {
    const list = byPort.get(port);
    if (list) list.push(row);
    else byPort.set(port, [row]);
  };
  for (const row of rows) {
    add(row.local.port, row);
    if (row.remote.port !== row.local.port) add(row.remote.port, row);
  }
  return byPort;
}
