import type { BundledListing } from "virtual:listings";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { dmesgText, type KernelRecord, kernelRecord, type RecordArg } from "./printkRecord.ts";
import { printkFormats } from "../../../shared/listings/realKernelLines.ts";
import type { Variant } from "../../../shared/protocol/steps.ts";

/**
 * What memory holds after the received bytes, in each listing's recvbuf: what lets %s stop.
 * published: kmalloc(1024) promises nothing (memset(recvbuf, 0, sizeof(recvbuf)) zeroes only 8
 * bytes), but the lab's kernel zeroes every slab allocation (Debian 12's cloud config sets
 * CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y: slab_post_alloc_hook(), mm/slab.h 744, 825–836 of 6.1.192),
 * so a short read is followed by zeros; only 1024 bytes leave no NUL inside the buffer.
 * fixed: kzalloc(BUF_LEN + 1) zeroes it all, the spare byte included.
 */
const TERMINATED: Record<Variant, (received: number, size: number) => boolean> = {
  published: (received, size) => received < size,
  fixed: () => true,
};

/** `t`: when the lab's printk of these bytes happened, for the dmesg stamp. */
export type PrintedRecord = {
  cLine: number;
  t: number;
  /** printk, pr_info, …: the call as the listing writes it. */
  call: string;
  format: string;
  record: KernelRecord;
  dmesg: string;
};

export type Received = {
  variant: Variant;
  /** The bytes kernel_recvmsg received in this run (at most the first MAX_DATA_BYTES). */
  bytes: Uint8Array;
  length: number;
  bufferSize: number;
  cLine: number;
  /** The printk that printed them, as the kernel would store and dmesg show it. */
  printed?: PrintedRecord;
};

export function decodeBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The arguments the listing passes: every int is the byte count, every string the buffer. */
function argsFor(format: string, length: number, buffer: RecordArg): RecordArg[] {
  const args: RecordArg[] = [];
  for (const match of format.matchAll(/%(\.\*)?([sd])/g)) {
    if (match[1]) args.push(length);
    args.push(match[2] === "d" ? length : buffer);
  }
  return args;
}

/**
 * The last kernel_recvmsg that received bytes, with the printk that followed it in the same module,
 * derived from a whole event list (the page reads both from the record's moment instead).
 */
export function lastReceived(
  events: readonly LabEvent[],
  listings: Partial<Record<Variant, Record<string, BundledListing>>>,
): Received | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type !== "step" || event.step !== "kernel_recvmsg" || event.phase !== "exit" || !event.data)
      continue;
    const printkAfter = events
      .slice(i + 1)
      .find((e) => e.type === "printk" && e.source === event.module && e.cLine !== undefined);
    return receivedOf(event, printkAfter, listings);
  }
  return undefined;
}

/** The bytes one kernel_recvmsg exit received, and what `printk` (its module's next printk with a line) made of them. */
export function receivedOf(
  event: LabEvent,
  printk: LabEvent | undefined,
  listings: Partial<Record<Variant, Record<string, BundledListing>>>,
  /** The record limit of the kernel release the learner picked (shared/releases/releaseFacts.ts). */
  lineMax?: number,
): Received | undefined {
  if (event.type !== "step" || !event.data) return undefined;
  // Asked again on every new event: while the same receive and printk are the latest, the same
  // object comes back, so the bytes view does not decode and redraw 1024 bytes per event.
  const cached = receivedCache.get(event);
  if (cached && cached.printk === printk && cached.listings === listings && cached.lineMax === lineMax)
    return cached.received;
  const { data } = event;
  const bytes = decodeBase64(data.base64);
  const received: Received = {
    variant: event.variant,
    bytes,
    length: data.length,
    bufferSize: data.bufferSize,
    cLine: event.cLine,
  };
  const cText = listings[event.variant]?.[event.module]?.cText;
  if (printk?.type === "printk" && printk.cLine !== undefined && cText) {
    const found = printkFormats(cText).find((f) => f.cLine === printk.cLine);
    if (found?.format.includes("%")) {
      const { call, prefix, format } = found;
      const buffer = { bytes, terminated: TERMINATED[event.variant](data.length, data.bufferSize) };
      // The whole format printk got: pr_info()'s KERN_INFO prefix takes room in the record.
      const record = kernelRecord(prefix + format, argsFor(format, data.length, buffer), lineMax);
      received.printed = {
        cLine: printk.cLine,
        t: printk.t,
        call,
        format,
        record,
        dmesg: dmesgText(record.text),
      };
    }
  }
  receivedCache.set(event, { printk, listings, lineMax, received });
  return received;
}

const receivedCache = new WeakMap<
  LabEvent,
  { printk: LabEvent | undefined; listings: object; lineMax: number | undefined; received: Received }
>();
