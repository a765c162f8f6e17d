import type { Source } from "../../shared/kernelFacts.ts";
import { explanationSources, kernelFact, kernelSymbol, STEP_EXPLANATIONS } from "../../shared/stepExplanations.ts";
import type { ModuleName, StepId } from "../../shared/steps.ts";

/** Why the panel shows this step: it is running, the reader points at one of its lines, or pinned it. */
export type ExplainedBecause = "current" | "pointed" | "pinned";

export type StepExplanationProps = {
  module: ModuleName;
  step?: StepId;
  because: ExplainedBecause;
  /** The step's line in each listing, as the reader sees it there; absent when a listing lacks the step. */
  cLine?: { file: string; number: number; text: string };
  tsLine?: { file: string; number: number; text: string };
  onUnpin: () => void;
};

const BECAUSE: Record<ExplainedBecause, string> = {
  current: "current step",
  pointed: "the line you point at",
  pinned: "pinned",
};

/** One step in three worlds: the kernel call then and in Linux 6.x, the system call, and the Node call. */
export function StepExplanation({ module, step, because, cLine, tsLine, onUnpin }: StepExplanationProps) {
  const label = `${module} step explanation`;
  const explanation = step ? STEP_EXPLANATIONS[module][step] : undefined;
  if (!step || !explanation) {
    return (
      <section className="step-explanation" aria-label={label}>
        <p className="explanation-hint">
          Start the module, or point at a coloured line, to see what its call does in the kernel, in user space and in Node.
        </p>
      </section>
    );
  }
  const symbol = kernelSymbol(explanation.symbol);
  const callsOps = cLine?.text.includes("->ops->") ?? false;
  const sources = explanationSources(explanation);
  return (
    <section className="step-explanation" aria-label={label}>
      <h3 className="explanation-title">
        <code>{step}</code> <span className="explanation-because">{BECAUSE[because]}</span>
        {because === "pinned" ? (
          <button type="button" className="explanation-unpin" onClick={onUnpin}>
            Back to the current step
          </button>
        ) : null}
      </h3>
      <dl className="explanation-rows">
        {cLine ? <CodeRow term={`${cLine.file}, line ${cLine.number}`} code={cLine.text} /> : null}
        {symbol ? (
          <div>
            <dt>Linux 6.x (declared as in v6.1)</dt>
            <dd>
              <code className="signature">{symbol.signature6x ?? `${symbol.symbol}: removed`}</code>
              {callsOps && explanation.opsMember ? (
                <p>
                  The listing calls the protocol's method directly; v6.1's struct proto_ops declares it as{" "}
                  <code className="signature">{explanation.opsMember}</code>
                </p>
              ) : null}
              <p className="explanation-status">Status: {symbol.status.en}</p>
              <Cites sources={sources.kernel} />
            </dd>
          </div>
        ) : null}
        {symbol ? <CodeRow term="User space" code={symbol.syscall} /> : null}
        {tsLine ? <CodeRow term={`${tsLine.file}, line ${tsLine.number}`} code={tsLine.text} /> : null}
        <CodeRow term="Node" code={explanation.node} />
        <div>
          <dt>What Node does differently</dt>
          <dd>
            <p>{explanation.differs}</p>
            {explanation.factIds.length > 0 ? (
              <details className="explanation-facts">
                <summary>The facts behind this</summary>
                {explanation.factIds.map((id) => (
                  <p key={id}>{kernelFact(id)?.en}</p>
                ))}
              </details>
            ) : null}
            <Cites sources={sources.node} />
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

function Cites({ sources }: { sources: readonly Source[] }) {
  if (sources.length === 0) return null;
  return (
    <p className="cites">
      Sources:{" "}
      {sources.map((source, i) => (
        <span key={source.url + source.label}>
          {i > 0 ? "; " : ""}
          <a href={source.url} target="_blank" rel="noreferrer">
            {source.label}
          </a>
        </span>
      ))}
    </p>
  );
}
