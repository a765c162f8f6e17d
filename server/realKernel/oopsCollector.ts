import type { KernelRecord } from "./guestOutput.ts";

const OOPS_START = /^(BUG: |Oops: |general protection fault|kernel BUG at |Kernel panic - not syncing)/;
const OOPS_END = /^---\[ end trace /;
/** After "end trace" the kernel prints the faulting registers once more, and a panic's last words. */
const TAIL =
  /^(RIP|RSP|RAX|RDX|RBP|R\d+|FS|CS|CR2|Code|DR\d|PKRU):|^(Kernel panic|Kernel Offset|---\[ end Kernel panic)/;
const QUIET_MS = 300;

export type Oops = { usec: number; text: string };

/**
 * Gathers the records of one oops into a block, from its first line ("BUG: ...") to the register
 * dump that follows "---[ end trace ]---", so the learner can read it whole.
 */
export class OopsCollector {
  private block: KernelRecord[] = [];
  private ended = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onOops: (oops: Oops) => void) {}

  push(record: KernelRecord): void {
    const text = record.text;
    if (this.block.length > 0 && this.ended && !TAIL.test(text)) this.close();
    if (this.block.length === 0) {
      if (!OOPS_START.test(text)) return;
      this.ended = false;
    }
    this.block.push(record);
    if (OOPS_END.test(text)) this.ended = true;
    clearTimeout(this.timer);
    if (this.ended) this.timer = setTimeout(() => this.close(), QUIET_MS);
  }

  /** Emits the block gathered so far (the VM stopped, or the tail went quiet). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.block[0];
    if (first) this.onOops({ usec: first.usec, text: this.block.map((r) => r.text).join("\n") });
    this.block = [];
    this.ended = false;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
