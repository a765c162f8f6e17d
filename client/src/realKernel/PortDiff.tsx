import { useTranslation } from "react-i18next";
import { REAL_KERNEL_PORT } from "../../../shared/content/realKernelPort.ts";
import { currentLanguage } from "../i18n/i18n.ts";

/** Text whose `backticked` spans are code (a declaration inside a citation). */
function CodeSpans({ text }: { text: string }) {
  return text.split("`").map((part, i) =>
    // Parts never reorder: their index is their identity.
    // biome-ignore lint/suspicious/noArrayIndexKey: see above
    i % 2 === 1 ? <code key={i}>{part}</code> : part,
  );
}

/** The published listing's port to the real kernel: each edit as a diff, with its reason and source. */
export function PortDiff() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  return (
    <details className="port-diff">
      <summary>{t("engine.port.summary", { n: REAL_KERNEL_PORT.length })}</summary>
      <ol>
        {REAL_KERNEL_PORT.map((edit) => (
          <li key={`${edit.module}:${edit.from}`}>
            <p>
              <strong>{edit.module}.c</strong>
            </p>
            <pre className="diff">
              <span className="diff-del">- {edit.from}</span>
              {"\n"}
              <span className="diff-add">+ {edit.to}</span>
            </pre>
            <p>{edit.why[language]}</p>
            <p className="port-source">
              {t("engine.port.source")}
              <CodeSpans text={edit.source[language]} />
            </p>
          </li>
        ))}
      </ol>
    </details>
  );
}
