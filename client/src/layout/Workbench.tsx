import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Group, Panel, Separator } from "react-resizable-panels";
import { useMediaQuery } from "../app/useMediaQuery.ts";
import { NarrowWorkbench, type NarrowView } from "./NarrowWorkbench.tsx";
import { useRememberedLayout } from "./useRememberedLayout.ts";
import "./workbench.css";

export type WorkbenchProps = {
  /** The lesson and, under it, the step explanations. */
  lesson: ReactNode;
  explanations: ReactNode;
  /** Which listing and which engine run, and what the real kernel says: "Kernel" on a phone. */
  setup: ReactNode;
  transport: ReactNode;
  modules: readonly { id: string; pane: ReactNode }[];
  dock: ReactNode;
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
  return wide ? <WideWorkbench {...props} /> : <NarrowWorkbench {...props} />;
}

function WideWorkbench({ lesson, explanations, setup, transport, modules, dock }: WorkbenchProps) {
  const { t } = useTranslation();
  const columns = useRememberedLayout("columns");
  const side = useRememberedLayout("side");
  const work = useRememberedLayout("work");
  const stack = useRememberedLayout("modules");
  return (
    <div className="workbench wide">
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
            <Panel id="code" defaultSize="64%" minSize="30%" className="code-area">
              {transport}
              <Group
                orientation="vertical"
                className="module-stack"
                defaultLayout={stack.defaultLayout}
                onLayoutChanged={stack.onLayoutChanged}
              >
                {modules.flatMap(({ id, pane }, i) => [
                  i > 0 ? (
                    <Separator
                      key={`split-${id}`}
                      className="split split-rows"
                      aria-label={t("layout.resizeModules")}
                    />
                  ) : null,
                  <Panel key={id} id={id} minSize="15%" className="module-panel">
                    {pane}
                  </Panel>,
                ])}
              </Group>
            </Panel>
            <Separator className="split split-rows" aria-label={t("layout.resizeDock")} />
            <Panel id="dock" defaultSize="36%" minSize="12%" className="dock-area">
              {dock}
            </Panel>
          </Group>
        </Panel>
      </Group>
    </div>
  );
}
