import { useTranslation } from "react-i18next";
import type { Source } from "../../../shared/content/bilingual.ts";
import type { ModuleName, StepId } from "../../../shared/protocol/steps.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { InlineSourceLinks } from "../lesson/SourceLinks.tsx";
import { useKernelContent } from "../lesson/useKernelContent.ts";

/** Why the panel shows this step: it is running, the reader points at one of its lines, or pinned it. */
export type ExplainedBecause = "current" | "pointed" | "pinned";

type ShownLine = { file: string; number: number; text: string };

export type StepExplanationProps = {
  module: ModuleName;
  step?: StepId;
  because: ExplainedBecause;
  /** The step's line in each listing, as the reader sees it there; absent when a listing lacks the step. */
  cLine?: ShownLine;
  tsLine?: ShownLine;
  onUnpin: () => void;
};

/** One step in three worlds: the kernel call then and in Linux 6.x, the system call, and the Node call. */
export function StepExplanation({ module, step, because, cLine, tsLine, onUnpin }: StepExplanationProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n.language);
  const label = t("compare.region", { name: t(`module.${module}.name`) });
  const content = useKernelContent();
  // The explanations come a moment after the first paint (useKernelContent.ts): the region waits empty.
  if (!content) return <section className="step-explanation" aria-label={label} aria-busy="true" />;
  const { explanationSources, kernelFact, kernelSymbol, STEP_EXPLANATIONS } = content;
  const explanation = step ? STEP_EXPLANATIONS[module][step] : undefined;
  if (!step || !explanation) {
    return (
      <section className="step-explanation" aria-label={label}>
        <p className="explanation-hint">{t("compare.hint")}</p>
      </section>
    );
  }
  const symbol = kernelSymbol(explanation.symbol);
  const callsOps = cLine?.text.includes("->ops->") ?? false;
  const sources = explanationSources(explanation);
  const at = (line: ShownLine) => t("compare.at", { file: line.file, line: line.number });
  return (
    <section className="step-explanation" aria-label={label}>
      <h3 className="explanation-title">
        <code>{step}</code> <span className="explanation-because">{t(`compare.because.${because}`)}</span>
        {because === "pinned" ? (
          <button type="button" className="explanation-unpin" onClick={onUnpin}>
            {t("compare.unpin")}
          </button>
        ) : null}
      </h3>
      <dl className="explanation-rows">
        {cLine ? <CodeRow term={at(cLine)} code={cLine.text} /> : null}
        {symbol ? (
          <div>
            <dt>{t("compare.linux")}</dt>
            <dd>
              <code className="signature">
                {symbol.signature6x ?? t("compare.removed", { symbol: symbol.symbol })}
              </code>
              {callsOps && explanation.opsMember ? (
                <p>
                  {t("compare.opsMember")} <code className="signature">{explanation.opsMember}</code>
                </p>
              ) : null}
              <p className="explanation-status">{t("compare.status", { status: symbol.status[language] })}</p>
              <Cites label={t("compare.sources")} sources={sources.kernel} />
            </dd>
          </div>
        ) : null}
        {symbol ? <CodeRow term={t("compare.userSpace")} code={symbol.syscall} /> : null}
        {tsLine ? <CodeRow term={at(tsLine)} code={tsLine.text} /> : null}
        <div>
          <dt>{t("compare.node")}</dt>
          <dd>{explanation.node[language]}</dd>
        </div>
        <div>
          <dt>{t("compare.differs")}</dt>
          <dd>
            <p>{explanation.differs[language]}</p>
            {explanation.factIds.length > 0 ? (
              <details className="explanation-facts">
                <summary>{t("compare.facts")}</summary>
                {explanation.factIds.map((id) => (
                  <p key={id}>{kernelFact(id)?.[language]}</p>
                ))}
              </details>
            ) : null}
            <Cites label={t("compare.sources")} sources={sources.node} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

function CodeRow({ term, code }: { term: string; code: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>
        <code>{code}</code>
      </dd>
    </div>
  );
}

function Cites({ label, sources }: { label: string; sources: readonly Source[] }) {
  if (sources.length === 0) return null;
  return (
    <p className="cites">
      {label} <InlineSourceLinks sources={sources} />
    </p>
  );
}
