import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { MODULES, VARIANTS, type Variant } from "../../../shared/protocol/steps.ts";
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { BuildStatus } from "./BuildStatus.tsx";
import { ExercisesPanel } from "./ExercisesPanel.tsx";
import { draftText, isEdited } from "./learnerDraft.ts";
import type { PlaygroundState } from "./usePlayground.ts";
import "./playground.css";

// CodeMirror comes in its own chunk, fetched the first time this tab is opened.
const CEditor = lazy(() => import("./CEditor.tsx"));

export type PlaygroundPanelProps = {
  playground: PlaygroundState;
  /** Whether the dock shows this tab: the editor is not loaded before it first is. */
  open: boolean;
  /** The live lab's events: the exercises are judged from the real kernel's last run in them. */
  events: readonly LabEvent[];
};

/** The learner's own C: one module at a time in the editor, the build button and gcc's answer. */
export function PlaygroundPanel({ playground, open, events }: PlaygroundPanelProps) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  const { draft, module, status } = playground;
  const diagnostics = playground.diagnosticsOf(module);
  return (
    <section className="playground" aria-label={t("playground.region")}>
      <div className="playground-bar">
        <fieldset className="playground-modules">
          <legend className="visually-hidden">{t("playground.module")}</legend>
          {MODULES.map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={m === module}
              onClick={() => playground.selectModule(m)}
            >
              {`${m}.c`}
              {isEdited(draft, m) ? (
                <span className="playground-edited">{` · ${t("playground.edited")}`}</span>
              ) : null}
            </button>
          ))}
        </fieldset>
        <label>
          {t("playground.base")}{" "}
          <select value={draft.base} onChange={(e) => playground.setBase(e.target.value as Variant)}>
            {VARIANTS.map((v) => (
              <option key={v} value={v}>
                {t(`playground.variant.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={playground.revert} disabled={!isEdited(draft, module)}>
          {t("playground.revert", { variant: t(`playground.variant.${draft.base}`) })}
        </button>
        <button
          type="button"
          className="playground-build"
          onClick={playground.build}
          disabled={playground.pending}
        >
          {t("playground.build")}
        </button>
        <button type="button" onClick={playground.share}>
          {t("playground.share")}
        </button>
        <BuildStatus status={status} refused={playground.refused} />
        {playground.shared ? (
          <span className="playground-shared" role="status">
            {t(`playground.shared.${playground.shared}`)}
          </span>
        ) : null}
      </div>
      {opened ? (
        <Suspense fallback={<p>{t("playground.loading")}</p>}>
          <CEditor
            key={module}
            value={draftText(draft, module)}
            onChange={playground.edit}
            diagnostics={diagnostics}
            label={t("playground.editor", { file: `${module}.c` })}
          />
        </Suspense>
      ) : null}
      {diagnostics.length > 0 ? (
        <ul className="playground-diagnostics" aria-label={t("playground.diagnostics")}>
          {diagnostics.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: gcc's list is replaced whole, never reordered
            <li key={i} className={`diagnostic-${d.severity}`} data-line={d.line}>
              {`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.option ? ` [${d.option}]` : ""}`}
            </li>
          ))}
        </ul>
      ) : null}
      <ExercisesPanel events={events} />
    </section>
  );
}
