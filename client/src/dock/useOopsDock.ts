import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";
import type { ModuleName, Variant } from "../../../shared/protocol/steps.ts";
import type { OopsRecord } from "../connection/labMoment.ts";

/**
 * Whether an oops is the running kernel's: its VM may have been replaced by a newer one
 * ("rebooted"), or be stopped since (powered off, panicked, idle); and the listing it ran may not be
 * the one shown now (`otherListing`: its lines are not this listing's).
 */
export type OopsVmState = "running" | "rebooted" | "stopped";

export type OopsEntry = OopsRecord & { vmState: OopsVmState; otherListing: boolean };

/** An oops of the running VM and the listing shown: the one whose line is lit by itself. */
export function isCurrent(entry: OopsEntry): boolean {
  return entry.vmState === "running" && !entry.otherListing;
}

type Frame = ServerEventOf<"oops">["frames"][number];

/** A listing line an oops names, shown in its module: `picked` when the learner asked for it. */
export type OopsFocus = { seq: number; module: ModuleName; line: number; picked: boolean };

export type OopsDockState = {
  /** The oopses to show, newest first, without those dismissed: none unless the real kernel is the engine. */
  entries: readonly OopsEntry[];
  dismiss: (seq: number) => void;
  /** A frame of the oops `seq` was picked: its line is marked in its listing and brought into view. */
  showLine: (seq: number, module: ModuleName, line: number) => void;
  /** The oops line marked in `module`, if any (a new object per pick, so picking again scrolls again). */
  focusFor: (module: ModuleName) => OopsFocus | undefined;
};

export type OopsDockInput = {
  real: boolean;
  /** The oopses of the moment shown, oldest first. */
  oopses: readonly OopsRecord[];
  /** How many VMs had booted at the moment shown. */
  vms: number;
  /** The engine says the VM is stopped (powered off, panicked, idle). */
  stopped: boolean;
  /** The listing the lab runs now. */
  variant: Variant;
  /** The display shows the live lab (not a moment looked back at, nor an opened run file). */
  live: boolean;
  /** Opens the dock's oops tab. */
  open: () => void;
};

/** The line a frame marks: its instruction's line when the debug information found it, else the function's. */
export function markedLine(frame: Frame): number | undefined {
  return frame.line ?? frame.cLine;
}

/**
 * Where the listing faulted: the first frame (from the top of the call trace) that the listing
 * defines, a sure one before a "?" one. The RIP itself is as a rule in the kernel (sock_recvmsg),
 * called from the module's line.
 */
export function faultingFrame(oops: ServerEventOf<"oops">): Frame | undefined {
  const listed = oops.frames.filter((frame) => frame.listingModule && markedLine(frame) !== undefined);
  return listed.find((frame) => frame.reliable) ?? listed[0];
}

type Now = Pick<OopsDockInput, "oopses" | "vms" | "stopped" | "variant">;

/** The oopses to list, newest first, each marked with its VM's state and whether its listing is shown. */
export function oopsEntries(now: Now, dismissed: ReadonlySet<number>): OopsEntry[] {
  return now.oopses
    .filter((record) => !dismissed.has(record.event.seq))
    .map((record): OopsEntry => {
      const vmState: OopsVmState = record.vm < now.vms ? "rebooted" : now.stopped ? "stopped" : "running";
      const otherListing = record.variant !== undefined && record.variant !== now.variant;
      return { ...record, vmState, otherListing };
    })
    .reverse();
}

/**
 * The oops tab of the dock: which oopses it lists (newest first, each marked current or not), the
 * learner's dismissals, and the listing line it marks. A new oops of the running VM opens the tab
 * and marks its faulting line at once; an oops from an earlier VM or another listing marks nothing
 * by itself.
 */
export function useOopsDock(input: OopsDockInput): OopsDockState {
  const { real, oopses, vms, stopped, variant, live, open } = input;
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(() => new Set());
  const [focus, setFocus] = useState<OopsFocus | undefined>();
  const entries = useMemo(
    () => (real ? oopsEntries({ oopses, vms, stopped, variant }, dismissed) : []),
    [real, oopses, vms, stopped, variant, dismissed],
  );

  // Each oops opens the tab once, when the live display reaches it (not when looking back at it).
  const handled = useRef(-1);
  const newest = entries[0];
  useEffect(() => {
    // Of the latest VM, stopped or not: an oops that panics the guest stops it at once.
    const latest = newest && newest.vmState !== "rebooted" && !newest.otherListing;
    if (!live || !newest || !latest || newest.event.seq <= handled.current) return;
    handled.current = newest.event.seq;
    open();
    const frame = faultingFrame(newest.event);
    const line = frame ? markedLine(frame) : undefined;
    if (frame?.listingModule && line !== undefined)
      setFocus({ seq: newest.event.seq, module: frame.listingModule, line, picked: false });
  }, [live, newest, open]);

  const dismiss = useCallback((seq: number) => setDismissed((before) => new Set(before).add(seq)), []);
  const showLine = useCallback(
    (seq: number, module: ModuleName, line: number) => setFocus({ seq, module, line, picked: true }),
    [],
  );
  const focusFor = (module: ModuleName): OopsFocus | undefined => {
    if (focus?.module !== module) return undefined;
    const entry = entries.find((e) => e.event.seq === focus.seq);
    // A line the oops marked by itself stays while its VM is the latest (a panic stops it: the line
    // is the last thing it did); one the learner picked stays while its listing is shown.
    const gone = entry?.otherListing || (!focus.picked && entry?.vmState === "rebooted");
    if (!entry || gone) return undefined;
    return focus;
  };
  return { entries, dismiss, showLine, focusFor };
}
