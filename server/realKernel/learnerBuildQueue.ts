/**
 * Learners' builds across the whole server: at most `concurrency` run at once (a build takes a
 * core; the VMs need the other), the rest wait in arrival order, and a learner has at most one
 * build queued or running.
 */
type Job = {
  learner: object;
  run: () => Promise<void>;
  /** Told the job's place whenever it moves (1 is next). */
  onPosition: (position: number) => void;
};

export class LearnerBuildQueue {
  private readonly waiting: Job[] = [];
  private readonly holders = new Set<object>();
  private running = 0;

  constructor(private readonly concurrency: number) {}

  /** False when `learner` already has a build here; else the job runs when its turn comes. */
  submit(learner: object, run: () => Promise<void>, onPosition: (position: number) => void): boolean {
    if (this.holders.has(learner)) return false;
    this.holders.add(learner);
    this.waiting.push({ learner, run, onPosition });
    this.pump();
    this.tellPositions();
    return true;
  }

  /** A learner who left: its waiting build is dropped (a running one ends within its wall time). */
  cancel(learner: object): void {
    const index = this.waiting.findIndex((job) => job.learner === learner);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    this.holders.delete(learner);
    this.tellPositions();
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const job = this.waiting.shift();
      if (!job) return;
      this.running++;
      job
        .run()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.holders.delete(job.learner);
          this.pump();
          this.tellPositions();
        });
    }
  }

  private tellPositions(): void {
    for (const [index, job] of this.waiting.entries()) job.onPosition(index + 1);
  }
}

const concurrency = Math.max(1, Number(process.env.LEARNER_BUILD_CONCURRENCY ?? 1));
/** The server's one queue. */
export const learnerBuildQueue = new LearnerBuildQueue(concurrency);
