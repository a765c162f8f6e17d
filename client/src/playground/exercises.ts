import { REAL_KERNEL_LAB_PORT } from "../../../shared/protocol/engineMessages.ts";
import type { LabEvent, ServerEventOf } from "../../../shared/protocol/messages.ts";

/**
 * The "fix it" exercises on the published listing's bugs. Each is judged from what the real
 * kernel did in the learner's last run, never from the C text: the guest's printk records, its
 * /proc/net/tcp rows, the results its gdbstub read from the calls, the kernel's clock at each
 * module state. `evidence` are those records, shown beside the verdict.
 */
export const EXERCISE_IDS = [
  "receive1024",
  "initReturnsZero",
  "insmodReturns",
  "noLeak",
  "countPrinted",
] as const;
export type ExerciseId = (typeof EXERCISE_IDS)[number];

export type Verdict = {
  id: ExerciseId;
  /** pending: the run has not shown what this exercise needs yet. */
  verdict: "pass" | "fail" | "pending";
  /** Guest records the verdict rests on, as text (printk lines, socket rows, call results). */
  evidence: string[];
};

/** The run judged: the real kernel's events from the server's last insmod on. */
export type JudgedRun = {
  /** The learner's build the server was loaded from; undefined: a shipped listing. */
  build?: number;
  verdicts: Verdict[];
};

type State = ServerEventOf<"module.state">;

/** An insmod whose init has not returned within this much guest time did not "return at once". */
const AT_ONCE_SECONDS = 2;

function lastRunOf(events: readonly LabEvent[]): LabEvent[] | undefined {
  const real = events.filter((e) => e.engine === "real-kernel");
  let start = -1;
  real.forEach((e, i) => {
    if (e.type === "module.state" && e.module === "server" && e.state === "loading") start = i;
  });
  return start < 0 ? undefined : real.slice(start);
}

const states = (run: LabEvent[]) => run.filter((e): e is State => e.type === "module.state");
const printks = (run: LabEvent[]) => run.filter((e) => e.type === "printk");

function recvResult(run: LabEvent[]) {
  return run.find(
    (e) => e.type === "step" && e.module === "server" && e.step === "kernel_recvmsg" && e.phase === "exit",
  );
}

function receive1024(run: LabEvent[]): Verdict {
  const id = "receive1024";
  const oops = run.find((e) => e.type === "oops");
  const recv = recvResult(run);
  const evidence: string[] = [];
  if (recv?.type === "step") evidence.push(`kernel_recvmsg returned ${recv.result} (line ${recv.cLine})`);
  if (oops?.type === "oops") evidence.push(oops.text.split("\n")[0] ?? "oops");
  if (oops) return { id, verdict: "fail", evidence };
  if (recv?.type !== "step") return { id, verdict: "pending", evidence };
  return { id, verdict: recv.result === 1024 ? "pass" : "fail", evidence };
}

function initReturnsZero(run: LabEvent[]): Verdict {
  const id = "initReturnsZero";
  const warning = printks(run).find((e) => e.type === "printk" && /suspiciously returned/.test(e.text));
  const live = states(run).find((e) => e.module === "server" && (e.state === "live" || e.state === "failed"));
  const evidence: string[] = [];
  if (warning?.type === "printk") evidence.push(warning.text);
  if (live) evidence.push(`server.ko ${live.state}, init returned ${live.initResult ?? "?"}`);
  if (warning) return { id, verdict: "fail", evidence };
  if (!live) return { id, verdict: "pending", evidence };
  return { id, verdict: live.state === "live" && live.initResult === 0 ? "pass" : "fail", evidence };
}

function insmodReturns(run: LabEvent[]): Verdict {
  const id = "insmodReturns";
  const all = states(run);
  const loading = all.find((e) => e.module === "server" && e.state === "loading");
  const live = all.find((e) => e.module === "server" && e.state === "live");
  const clientFirst = all.find((e) => e.module === "client" && e.state === "loading");
  const evidence: string[] = [];
  if (live && loading)
    evidence.push(`server.ko live ${(live.t - loading.t).toFixed(2)} s (guest clock) after insmod`);
  // The server's insmod waited for a client: its init sat in accept.
  if (clientFirst && (!live || clientFirst.seq < live.seq)) {
    evidence.push(
      `client.ko loaded at ${clientFirst.t.toFixed(2)} s while server.ko's insmod had not returned`,
    );
    return { id, verdict: "fail", evidence };
  }
  if (!live || !loading) return { id, verdict: "pending", evidence };
  return { id, verdict: live.t - loading.t <= AT_ONCE_SECONDS ? "pass" : "fail", evidence };
}

function noLeak(run: LabEvent[]): Verdict {
  const id = "noLeak";
  const all = states(run);
  const clientRan = all.some((e) => e.module === "client" && e.state !== "loading" && e.state !== "unloaded");
  const lastOf = (m: "server" | "client") => all.filter((e) => e.module === m).at(-1);
  const bothGone = lastOf("server")?.state === "unloaded" && lastOf("client")?.state === "unloaded";
  const unloadedAt = Math.max(...all.filter((e) => e.state === "unloaded").map((e) => e.seq));
  const table = run.filter((e) => e.type === "tcp.state" && e.seq > unloadedAt).at(-1);
  if (!clientRan || !bothGone || table?.type !== "tcp.state") return { id, verdict: "pending", evidence: [] };
  const lab = table.rows.filter(
    (r) => r.local.port === REAL_KERNEL_LAB_PORT || r.remote.port === REAL_KERNEL_LAB_PORT,
  );
  // A row a socket still owns has an inode; a closed connection's TIME_WAIT row has none.
  const owned = lab.filter((r) => r.inode !== 0);
  const evidence = lab.map(
    (r) =>
      `${r.local.address}:${r.local.port} → ${r.remote.address}:${r.remote.port} ${r.state} inode ${r.inode}`,
  );
  if (evidence.length === 0) evidence.push("/proc/net/tcp: no row on the lab's port");
  return { id, verdict: owned.length === 0 ? "pass" : "fail", evidence };
}

function countPrinted(run: LabEvent[]): Verdict {
  const id = "countPrinted";
  const recv = recvResult(run);
  if (recv?.type !== "step" || recv.result === null || recv.result <= 0)
    return { id, verdict: "pending", evidence: [] };
  const count = String(recv.result);
  const after = printks(run).filter((e) => e.type === "printk" && e.source === "server" && e.seq > recv.seq);
  const named = after.find((e) => e.type === "printk" && new RegExp(`\\b${count}\\b`).test(e.text));
  const shown = (named ?? after[0])?.type === "printk" ? (named ?? after[0]) : undefined;
  const evidence = [`kernel_recvmsg returned ${count}`];
  if (shown?.type === "printk") evidence.push(shown.text.slice(0, 120));
  if (!named && after.length === 0) return { id, verdict: "pending", evidence };
  return { id, verdict: named ? "pass" : "fail", evidence };
}

const JUDGES: Record<ExerciseId, (run: LabEvent[]) => Verdict> = {
  receive1024,
  initReturnsZero,
  insmodReturns,
  noLeak,
  countPrinted,
};

/** Every exercise judged on the real kernel's last run in `events`; undefined before any. */
export function judgeLastRun(events: readonly LabEvent[]): JudgedRun | undefined {
  const run = lastRunOf(events);
  if (!run) return undefined;
  const first = run[0];
  const build = first?.type === "module.state" ? first.learnerBuild : undefined;
  return { build, verdicts: EXERCISE_IDS.map((id) => JUDGES[id](run)) };
}
