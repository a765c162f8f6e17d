import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { cpp } from "@codemirror/lang-cpp";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useEffect, useRef } from "react";
import type { BuildDiagnostic } from "../../../shared/protocol/learnerBuildMessages.ts";

export type CEditorProps = {
  value: string;
  onChange: (text: string) => void;
  /** gcc's diagnostics for this module, marked on their lines. */
  diagnostics: readonly BuildDiagnostic[];
  label: string;
};

/**
 * The listings' own syntax colours (theme/syntax.css: each ≥ 5:1 on the panel, in both themes),
 * not CodeMirror's defaults, which are made for a white page only.
 */
const LAB_HIGHLIGHT = HighlightStyle.define([
  { tag: tags.comment, color: "var(--syn-comment)", fontStyle: "italic" },
  { tag: [tags.keyword, tags.controlKeyword, tags.modifier], color: "var(--syn-keyword)" },
  { tag: [tags.string, tags.character], color: "var(--syn-string)" },
  { tag: tags.number, color: "var(--syn-number)" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "var(--syn-function)" },
  { tag: [tags.typeName, tags.standard(tags.typeName)], color: "var(--syn-type)" },
  { tag: [tags.processingInstruction, tags.meta, tags.macroName], color: "var(--syn-macro)" },
  { tag: [tags.punctuation, tags.operator], color: "var(--syn-punctuation)" },
]);

const LAB_THEME = EditorView.theme({
  "&": { color: "var(--ink)", backgroundColor: "var(--panel)" },
  ".cm-gutters": {
    color: "var(--syn-line-number)",
    backgroundColor: "var(--panel-2)",
    borderRight: "1px solid var(--line)",
  },
  ".cm-cursor": { borderLeftColor: "var(--ink)" },
});

/** gcc's line and column (1-based, the column in characters) as an offset of the document. */
function toCodeMirror(view: EditorView, diagnostics: readonly BuildDiagnostic[]): Diagnostic[] {
  const doc = view.state.doc;
  return diagnostics
    .filter((d) => d.line >= 1 && d.line <= doc.lines)
    .map((d) => {
      const line = doc.line(d.line);
      const from = Math.min(line.to, line.from + Math.max(0, d.column - 1));
      return {
        from,
        to: Math.max(line.to, from),
        severity: d.severity === "note" ? "info" : d.severity,
        message: d.option ? `${d.message} [${d.option}]` : d.message,
        source: "gcc",
      };
    });
}

/**
 * CodeMirror 6 on one module's C. Loaded on demand (React.lazy), so the first page load does not
 * carry it. The document follows `value` when it changes from outside (Revert, another module).
 */
export default function CEditor({ value, onChange, diagnostics, label }: CEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is made once; value and label follow below
  useEffect(() => {
    if (!host.current) return;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          cpp(),
          syntaxHighlighting(LAB_HIGHLIGHT),
          LAB_THEME,
          lintGutter(),
          EditorView.contentAttributes.of({ "aria-label": label }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) change.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    // The scroller is a region the keyboard must reach to scroll (axe: scrollable-region-focusable).
    created.scrollDOM.tabIndex = 0;
    created.scrollDOM.setAttribute("aria-label", label);
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === value) return;
    current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const current = view.current;
    if (!current) return;
    current.dispatch(setDiagnostics(current.state, toCodeMirror(current, diagnostics)));
  }, [diagnostics]);

  return <div className="c-editor" ref={host} />;
}
