import { useTranslation } from "react-i18next";
import type { LessonStep } from "../../../shared/content/lesson/lessonSteps.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { SourceLinks } from "./SourceLinks.tsx";
import { useKernelContent } from "./useKernelContent.ts";

/** What a step states about the kernel, each fact in the learner's language with where it was checked. */
export function LessonSources({ step }: { step: LessonStep }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const content = useKernelContent();
  if (!content) return null;
  const { KERNEL_FACTS, KERNEL_SYMBOLS } = content;
  const facts = KERNEL_FACTS.filter((fact) => step.facts?.includes(fact.id));
  const symbols = KERNEL_SYMBOLS.filter((symbol) => step.symbols?.includes(symbol.symbol));
  const count = facts.length + symbols.length;
  if (count === 0) return null;
  return (
    <details className="lesson-sources">
      <summary>{t("lesson.sources", { count })}</summary>
      <ul>
        {facts.map((fact) => (
          <li key={fact.id}>
            <p>{fact[language]}</p>
            <SourceLinks sources={fact.sources} />
          </li>
        ))}
        {symbols.map((symbol) => (
          <li key={symbol.symbol}>
            <p>
              <code>{symbol.symbol}</code>: {symbol.status[language]}
            </p>
            {symbol.signature6x ? <code className="signature">{symbol.signature6x}</code> : null}
            <SourceLinks sources={symbol.sources} />
          </li>
        ))}
      </ul>
    </details>
  );
}
