/**
 * Why one file over 120 lines: Workbench picks the wide or the narrow layout (NarrowWorkbench.tsx
 * has its own file); WideWorkbench (~100 lines) is the wide layout's one tree of resizable splits
 * (side column | code over dock), read as one picture of the page; MaximiseButton is its button,
 * used nowhere else. No component here is over 120 lines.
 */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Group, Panel, Separator } from "react-resizable-panels";
import { useMediaQuery } from "../app/useMediaQuery.ts";
import { NarrowWorkbench, type NarrowView } from "./NarrowWorkbench.tsx";
import { type FocusLayout, useFocusLayout } from "./useFocusLayout.ts";
import { useLayoutKeys } from "./useLayoutKeys.ts";
import { useRememberedLayout } from "./useRememberedLayout.ts";
import "./workbench.css";

export type WorkbenchProps = {
  /** The lesson and, under it, the step explanations. */
  lesson: ReactNode;
  explanations: ReactNode;
  /** Which listing and which engine run, and what the real kernel says: "Kernel" on a phone. */
  setup: ReactNode;
  transport: ReactNode;
  /**
   * The modules' panes; each is handed the buttons that give it the room or the whole workbench
   * (its header row shows them beside its own controls).
   */
  modules: readonly { id: string; file: string; pane: (tools: ReactNode) => ReactNode }[];
  /** The module the lab moved last: its listings get the middle's height (activeModule.ts). */
  active?: string;
  /** Modules whose lines must all stay in view now (after an oops, sharedRoom.ts): they share the middle. */
  sharing?: readonly string[];
  dock: ReactNode;
  /** A phone's code view: the module it follows instead of `active` (phoneFollow.ts). */
  follow?: { module: string; count: number };
  /** A phone's code view shows the lesson's open question above the listings (wide: in the lesson). */
  question?: ReactNode;
  view: NarrowView;
  onView: (view: NarrowView) => void;
};

/** From this width the workbench shows everything at once; below it, one view at a time. */
export const WIDE = "(min-width: 1024px)";

/**
 * The lab as a workbench, the way Compiler Explorer and an IDE are laid out: the page never
 * scrolls, each pane scrolls inside itself, and every split can be moved (mouse or keyboard) and
 * is remembered in this browser. Nothing is pinned over anything else.
 */
export function Workbench(props: WorkbenchProps) {
  const wide = useMediaQuery(WIDE);
  const focus = useFocusLayout(
    props.modules.map((module) => module.id),
    props.active,
  );
  useLayoutKeys(focus, wide, props.modules);
  return wide ? <WideWorkbench {...props} focus={focus} /> : <NarrowWorkbench {...props} focus={focus} />;
}

/**
 * The focus layout: the focused module's pane fills the middle, the others show their header row
 * (name, buttons, state, the call they are at); modules that share the room split it evenly. Any pane can fill the whole workbench (Maximise,
 * the key M for the code); the choice is remembered in this browser.
 */
function WideWorkbench({
  lesson,
  explanations,
  setup,
  transport,
  modules,
  sharing,
  dock,
  focus,
}: WorkbenchProps & { focus: FocusLayout }) {
  const { t } = useTranslation();
  const columns = useRememberedLayout("columns");
  const side = useRememberedLayout("side");
  const work = useRememberedLayout("work");
  const { maximised, toggleMaximised } = focus;
  // A window up to 1000 px tall gives the code most of its height; a taller one has room for the log too.
  const tall = useMediaQuery("(min-height: 1000px)");
  return (
    <div className={`workbench wide${maximised ? ` max-${maximised}` : ""}`}>
      <div className="setup-strip">{setup}</div>
      <Group
        orientation="horizontal"
        className="workbench-columns"
        defaultLayout={columns.defaultLayout}
        onLayoutChanged={columns.onLayoutChanged}
      >
        <Panel id="side" defaultSize="25%" minSize="15%">
          <Group
            orientation="vertical"
            className="side-column"
            defaultLayout={side.defaultLayout}
            onLayoutChanged={side.onLayoutChanged}
          >
            <Panel id="lesson" defaultSize="58%" minSize="15%" className="pane-scroll">
              {lesson}
            </Panel>
            <Separator className="split split-rows" aria-label={t("layout.resizeExplain")} />
            <Panel id="explanations" defaultSize="42%" minSize="10%" className="pane-scroll">
              {explanations}
            </Panel>
          </Group>
        </Panel>
        <Separator className="split split-columns" aria-label={t("layout.resizeSide")} />
        <Panel id="work" minSize="45%">
          <Group
            orientation="vertical"
            className="work-column"
            defaultLayout={work.defaultLayout}
            onLayoutChanged={work.onLayoutChanged}
          >
            <Panel id="code" defaultSize={tall ? "64%" : "79%"} minSize="30%" className="code-area">
              {transport}
              <div className="module-stack">
                {modules.map(({ id, file, pane }) => {
                  const focused = id === focus.focused;
                  // A module that shares the room is shown whole beside the focused one, without its own Maximise.
                  const shown = focused || (sharing?.includes(id) ?? false);
                  return (
                    <div key={id} className={`module-panel ${shown ? "focused" : "collapsed"}`}>
                      {pane(
                        <span className="pane-tools">
                          {shown ? null : (
                            <button type="button" className="pane-tool" onClick={() => focus.pick(id)}>
                              {t("layout.show", { file })}
                            </button>
                          )}
                          {focused ? (
                            <MaximiseButton
                              pane="code"
                              what={file}
                              maximised={maximised}
                              onToggle={toggleMaximised}
                            />
                          ) : null}
                        </span>,
                      )}
                    </div>
                  );
                })}
              </div>
            </Panel>
            <Separator className="split split-rows split-dock" aria-label={t("layout.resizeDock")} />
            <Panel id="dock" defaultSize={tall ? "36%" : "21%"} minSize="12%" className="dock-area">
              <MaximiseButton
                pane="dock"
                what={t("layout.dock")}
                maximised={maximised}
                onToggle={toggleMaximised}
              />
              {dock}
            </Panel>
          </Group>
        </Panel>
      </Group>
    </div>
  );
}

/** Maximise a pane to the whole workbench, or restore the layout: a real button with its name. */
function MaximiseButton({
  pane,
  what,
  maximised,
  onToggle,
}: {
  pane: NonNullable<FocusLayout["maximised"]>;
  what: string;
  maximised: FocusLayout["maximised"];
  onToggle: FocusLayout["toggleMaximised"];
}) {
  const { t } = useTranslation();
  const on = maximised === pane;
  return (
    <button
      type="button"
      className={`maximise maximise-${pane}`}
      aria-pressed={on}
      aria-keyshortcuts={pane === "code" ? "M" : undefined}
      title={on ? t("layout.restore") : t("layout.maximise", { what })}
      onClick={() => onToggle(pane)}
    >
      <span aria-hidden="true">{on ? "⤡ " : "⤢ "}</span>
      {on ? t("layout.restore") : t("layout.maximiseShort")}
      <span className="visually-hidden"> {what}</span>
    </button>
  );
}
