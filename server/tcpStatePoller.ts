import type { TcpRow } from "../shared/tcpStateProtocol.ts";
import { type ProcNetTcpRead, readProcNetTcpShared } from "./procNetTcp.ts";

export type TcpSnapshot = { rows: TcpRow[]; unavailable?: string };

export type TcpStatePollerOptions = {
  /** The session's lab port: a row is the lab's when either end uses it. */
  port: number;
  emit: (snapshot: TcpSnapshot) => void;
  read?: () => Promise<ProcNetTcpRead>;
  intervalMs?: number;
  /** Polls after the lab goes idle, so closes still in flight (FIN_WAIT, LAST_ACK) reach their end. */
  settlePolls?: number;
};

/** Listener first, then the server's side, then the client's, as `ss` groups them. */
function rank(row: TcpRow, port: number): number {
  if (row.state === "LISTEN") return 0;
  return row.local.port === port ? 1 : 2;
}

/** The lab's rows of the kernel's table: the listener and both ends of each connection to its port. */
export function labRows(rows: readonly TcpRow[], port: number): TcpRow[] {
  const key = (r: TcpRow) => `${rank(r, port)} ${r.local.port} ${r.remote.port} ${r.local.address} ${r.state}`;
  return rows.filter((r) => r.local.port === port || r.remote.port === port).sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * Watches the kernel's TCP table for one session's lab. It polls every `intervalMs` only while the
 * lab is active (a module loading or live, or a lab socket still open) and a few times after, and
 * emits only when the lab's rows change. Owned by the lab kernel, which disposes it.
 */
export class TcpStatePoller {
  private readonly intervalMs: number;
  private readonly settlePolls: number;
  private readonly read: () => Promise<ProcNetTcpRead>;
  private active = false;
  private idlePollsLeft = 0;
  private quietPolls = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private disposed = false;
  private unavailable = false;
  private lastKey: string | undefined;

  constructor(private readonly options: TcpStatePollerOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    this.settlePolls = options.settlePolls ?? 10;
    this.read = options.read ?? readProcNetTcpShared;
  }

  get polling(): boolean {
    return this.timer !== undefined || this.reading;
  }

  setActive(active: boolean): void {
    if (this.disposed || this.unavailable || active === this.active) return;
    this.active = active;
    this.idlePollsLeft = this.settlePolls;
    this.quietPolls = 0;
    if (!this.timer && !this.reading) void this.poll();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    this.reading = true;
    let result: ProcNetTcpRead;
    try {
      result = await this.read();
    } catch (err) {
      result = { unavailable: `the kernel's TCP table could not be read: ${(err as Error).message}` };
    }
    this.reading = false;
    if (this.disposed) return;
    const changed = this.publish(result);
    if (this.unavailable) return;
    if (!this.active) {
      // Idle: stop once two polls in a row see nothing move, or when the settling budget is spent.
      this.quietPolls = changed ? 0 : this.quietPolls + 1;
      if (this.quietPolls >= 2 || --this.idlePollsLeft <= 0) return;
    }
    this.timer = setTimeout(() => void this.poll(), this.intervalMs);
  }

  /** Emits the rows when they differ from the last emitted ones; true when it did. */
  private publish(result: ProcNetTcpRead): boolean {
    if ("unavailable" in result) {
      this.unavailable = true;
      this.options.emit({ rows: [], unavailable: result.unavailable });
      return true;
    }
    const rows = labRows(result.rows, this.options.port);
    const key = JSON.stringify(rows);
    if (key === this.lastKey) return false;
    this.lastKey = key;
    this.options.emit({ rows });
    return true;
  }
}
