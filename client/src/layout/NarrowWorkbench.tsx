import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { FocusLayout } from "./useFocusLayout.ts";
import type { WorkbenchProps } from "./Workbench.tsx";

export const NARROW_VIEWS = ["lesson", "code", "log", "kernel"] as const;
export type NarrowView = (typeof NARROW_VIEWS)[number];

/**
 * A phone's workbench: one view at a time under a bar of four. The code view keeps the log under
 * the listings, so starting a module there shows its line and its printk together; the log view
 * gives the dock (printk, the kernel's views, the timeline) the whole screen.
 */
export function NarrowWorkbench({
  lesson,
  explanations,
  setup,
  transport,
  modules,
  dock,
  view,
  onView,
  focus,
  follow,
  question,
}: WorkbenchProps & { focus: FocusLayout }) {
  const { t } = useTranslation();
  // The code view follows the module just started (after Start client, the client's line), else
  // the module the lab moved last. Each start scrolls to its module, even the same one again.
  const panes = useRef(new Map<string, HTMLDivElement>());
  const followed = follow?.module ?? focus.focused;
  const start = follow?.count;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each start scrolls, even to the module followed already.
  useEffect(() => {
    if (view !== "code" || !followed) return;
    // Only the listings' own scroller moves (scrollIntoView would scroll the page under the bar too).
    const pane = panes.current.get(followed);
    const scroller = pane?.parentElement;
    if (!pane || !scroller) return;
    scroller.scrollTop =
      pane.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  }, [followed, start, view]);
  return (
    <div className={`workbench narrow view-${view}`}>
      <nav className="view-bar" aria-label={t("layout.views")}>
        {NARROW_VIEWS.map((name) => (
          <button key={name} type="button" aria-pressed={view === name} onClick={() => onView(name)}>
            {t(`layout.view.${name}`)}
          </button>
        ))}
      </nav>
      <div className="narrow-pane narrow-lesson" hidden={view !== "lesson"}>
        {lesson}
        {explanations}
      </div>
      <div className="narrow-pane narrow-kernel" hidden={view !== "kernel"}>
        {setup}
      </div>
      <div className="narrow-run" hidden={view !== "code" && view !== "log"}>
        <div className="narrow-code" hidden={view !== "code"}>
          {transport}
          {question}
          <div className="narrow-modules">
            {modules.map(({ id, pane }) => (
              <div
                key={id}
                className="module-panel"
                data-followed={followed ? String(id === followed) : undefined}
                ref={(element) => {
                  if (element) panes.current.set(id, element);
                  else panes.current.delete(id);
                }}
              >
                {pane(null)}
              </div>
            ))}
          </div>
        </div>
        <div className="narrow-dock">{dock}</div>
      </div>
    </div>
  );
}
