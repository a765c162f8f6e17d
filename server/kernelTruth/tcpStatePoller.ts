import { MAX_TCP_ROWS, type TcpRow } from "../../shared/protocol/tcpStateMessages.ts";
import type { ProcNetTcpRead } from "./procNetTcp.ts";
import { type TcpTable, tcpTable } from "./tcpTable.ts";

export type TcpSnapshot = { rows: TcpRow[]; unavailable?: string; omitted?: number };

export type TcpStatePollerOptions = {
  /** The session's lab port: a row is the lab's when either end uses it. */
  port: number;
  emit: (snapshot: TcpSnapshot) => void;
  /** Where the reads come from: the process's shared table unless a test gives its own. */
  table?: TcpTable;
  /** Reads after the lab goes idle, so closes still in flight (FIN_WAIT, LAST_ACK) reach their end. */
  settleReads?: number;
};

/** Listener first, then the server's side, then the client's, as `ss` groups them. */
function rank(row: TcpRow, port: number): number {
  if (row.state === "LISTEN") return 0;
  return row.local.port === port ? 1 : 2;
}

/** The lab's rows of the kernel's table: the listener and both ends of each connection to its port. */
export function labRows(rows: readonly TcpRow[], port: number): TcpRow[] {
  // Each row's key is built once, not at every comparison: a classroom sorts hundreds of labs' rows 20 times a second.
  return rows
    .filter((r) => r.local.port === port || r.remote.port === port)
    .map((row) => ({
      row,
      key: `${rank(row, port)} ${row.local.port} ${row.remote.port} ${row.local.address} ${row.state}`,
    }))
    .sort((a, b) => collator.compare(a.key, b.key))
    .map(({ row }) => row);
}

/** The order localeCompare gives, without looking the locale up on every call. */
const collator = new Intl.Collator();

/** Whether two lists hold the same rows in the same order, field by field. */
function sameRows(a: readonly TcpRow[], b: readonly TcpRow[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i] as TcpRow;
      return (
        x.state === y.state &&
        x.local.port === y.local.port &&
        x.remote.port === y.remote.port &&
        x.local.address === y.local.address &&
        x.remote.address === y.remote.address &&
        x.txQueue === y.txQueue &&
        x.rxQueue === y.rxQueue &&
        x.inode === y.inode &&
        x.family === y.family
      );
    })
  );
}

/**
 * Watches the kernel's TCP table for one session's lab. It takes the table's reads (every 50 ms)
 * only while the lab is active — a module loading or live, or a lab socket still open — and for a
 * few reads after, and emits only when the lab's rows change. Owned by the lab kernel, which
 * disposes it.
 */
export class TcpStatePoller {
  private readonly table: TcpTable;
  private readonly settleReads: number;
  private unsubscribe: (() => void) | undefined;
  private active = false;
  private idleReadsLeft = 0;
  private quietReads = 0;
  private disposed = false;
  private unavailable = false;
  private lastRows: readonly TcpRow[] | undefined;
  /** The last read's rows of the lab in the kernel's order, before sorting: most reads repeat them. */
  private lastRead: readonly TcpRow[] | undefined;

  constructor(private readonly options: TcpStatePollerOptions) {
    this.table = options.table ?? tcpTable;
    this.settleReads = options.settleReads ?? 10;
  }

  get watching(): boolean {
    return this.unsubscribe !== undefined;
  }

  setActive(active: boolean): void {
    if (this.disposed || this.unavailable || active === this.active) return;
    this.active = active;
    this.idleReadsLeft = this.settleReads;
    this.quietReads = 0;
    this.unsubscribe ??= this.table.subscribe(this.options.port, (read) => this.onRead(read));
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private onRead(read: ProcNetTcpRead): void {
    if (this.disposed) return;
    const changed = this.publish(read);
    if (this.unavailable) return this.stop();
    if (this.active) return;
    // Idle: stop once two reads in a row see nothing move, or when the settling budget is spent.
    this.quietReads = changed ? 0 : this.quietReads + 1;
    if (this.quietReads >= 2 || --this.idleReadsLeft <= 0) this.stop();
  }

  /** Emits the rows when they differ from the last emitted ones; true when it did. */
  private publish(read: ProcNetTcpRead): boolean {
    if ("unavailable" in read) {
      this.unavailable = true;
      this.options.emit({ rows: [], unavailable: read.unavailable });
      return true;
    }
    // The kernel lists unchanged sockets in the same order read after read: the same rows in the
    // same order sort the same, so a classroom's thousands of labs skip the sort on most reads.
    if (this.lastRead && sameRows(read.rows, this.lastRead)) return false;
    this.lastRead = read.rows;
    const rows = labRows(read.rows, this.options.port);
    if (this.lastRows && sameRows(rows, this.lastRows)) return false;
    this.lastRows = rows;
    // The listener and the oldest connections sort first; a session's hundredth leaked socket can wait.
    const omitted = Math.max(0, rows.length - MAX_TCP_ROWS);
    this.options.emit(omitted > 0 ? { rows: rows.slice(0, MAX_TCP_ROWS), omitted } : { rows });
    return true;
  }
}
