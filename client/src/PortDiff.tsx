import { REAL_KERNEL_PORT } from "../../shared/realKernelPort.ts";

/** The published listing's port to the real kernel: each edit as a diff, with its reason and source. */
export function PortDiff() {
  return (
    <details className="port-diff">
      <summary>Built with {REAL_KERNEL_PORT.length} edits so it compiles on this kernel (the bugs are kept)</summary>
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
            <p>{edit.why}</p>
            <p className="port-source">Source: {edit.source}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}
