import { type KeyboardEvent, type ReactNode, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { PaneErrorBoundary } from "./PaneErrorBoundary.tsx";
import type { DockTab } from "./useDock.ts";

export type DockPane = {
  id: DockTab;
  label: string;
  content: ReactNode;
  /** Kept rendering while hidden (the terminal, which keeps its scrollback), instead of deferred. */
  live?: boolean;
};

export type DockProps = {
  panes: readonly DockPane[];
  selected: DockTab;
  onSelect: (tab: DockTab) => void;
  /** printk records that arrived while another tab was open. */
  unread: number;
};

/**
 * The bottom dock: one tab per view of the run, as an IDE's panel. Only the pane shown is rendered
 * (and the live terminal, which keeps its scrollback). Arrow keys,
 * Home and End move between the tabs (the WAI-ARIA tabs pattern, activation follows focus).
 */
export function Dock({ panes, selected: asked, onSelect, unread }: DockProps) {
  const { t } = useTranslation();
  const id = useId();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  // A tab that is there only at times (the oops tab, its oopses dismissed) hands over to the first.
  const index = Math.max(
    0,
    panes.findIndex((pane) => pane.id === asked),
  );
  const selected = panes[index]?.id ?? asked;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: panes.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = (target + panes.length) % panes.length;
    const pane = panes[next];
    if (!pane) return;
    onSelect(pane.id);
    tabs.current[next]?.focus();
  };

  return (
    <div className="dock">
      <div className="dock-tabs" role="tablist" aria-label={t("dock.label")} onKeyDown={onKeyDown}>
        {panes.map((pane, i) => (
          <button
            key={pane.id}
            ref={(element) => {
              tabs.current[i] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${pane.id}`}
            aria-selected={pane.id === selected}
            aria-controls={`${id}-panel-${pane.id}`}
            tabIndex={pane.id === selected ? 0 : -1}
            className="dock-tab"
            onClick={() => onSelect(pane.id)}
          >
            {pane.label}
            {pane.id === "printk" && unread > 0 ? (
              <span className="dock-unread">{t("dock.unread", { count: unread })}</span>
            ) : null}
          </button>
        ))}
      </div>
      {panes.map((pane) => (
        <div
          key={pane.id}
          role="tabpanel"
          id={`${id}-panel-${pane.id}`}
          aria-labelledby={`${id}-tab-${pane.id}`}
          className={`dock-panel dock-panel-${pane.id}`}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a tab panel that scrolls takes focus, so the keyboard can scroll it (WAI-ARIA tabs pattern)
          tabIndex={0}
          hidden={pane.id !== selected}
        >
          {/* A hidden pane holds nothing in the DOM (a long run's diagram would make every tab click slow);
              it is drawn when its tab is chosen. */}
          <PaneErrorBoundary label={pane.label}>
            {pane.live || pane.id === selected ? pane.content : null}
          </PaneErrorBoundary>
        </div>
      ))}
    </div>
  );
}
