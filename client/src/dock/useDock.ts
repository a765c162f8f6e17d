import { useCallback, useRef, useState } from "react";

export const DOCK_TABS = [
  "printk",
  "sockets",
  "sequence",
  "bytes",
  "calls",
  "timeline",
  "syscalls",
  "playground",
  "buildLog",
  "oops",
] as const;
export type DockTab = (typeof DOCK_TABS)[number];

export type DockState = {
  selected: DockTab;
  select: (tab: DockTab) => void;
  /** printk records that arrived while another tab was open. */
  unread: number;
};

/**
 * Which dock tab is open, and how many printk records the learner has not seen: counted from the
 * moment the printk tab was left, cleared when it is opened again.
 */
export function useDock(printkRecords: number): DockState {
  const [selected, setSelected] = useState<DockTab>("printk");
  const select = useCallback((tab: DockTab) => setSelected(tab), []);
  return { selected, select, unread: usePrintkUnread(selected, printkRecords) };
}

/** The printk records not seen: those that arrived while `selected` was another tab. */
export function usePrintkUnread(selected: DockTab, printkRecords: number): number {
  const seen = useRef(printkRecords);
  if (selected === "printk") seen.current = printkRecords;
  // A new session or a look back can show fewer records than were seen.
  if (seen.current > printkRecords) seen.current = printkRecords;
  return printkRecords - seen.current;
}
