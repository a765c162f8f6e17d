import { z } from "zod";
import type { BuildDiagnostic } from "../../shared/protocol/learnerBuildMessages.ts";
import { MODULES, type ModuleName } from "../../shared/protocol/steps.ts";

/** One location of gcc's `-fdiagnostics-format=json` (gcc 12: caret, optional finish). */
const gccLocation = z.object({
  caret: z.object({ file: z.string(), line: z.number(), column: z.number() }).passthrough(),
});

type GccDiagnostic = {
  kind: string;
  message: string;
  option?: string;
  locations?: z.infer<typeof gccLocation>[];
  children?: GccDiagnostic[];
};

const gccDiagnostic: z.ZodType<GccDiagnostic> = z.lazy(() =>
  z
    .object({
      kind: z.string(),
      message: z.string(),
      option: z.string().optional(),
      locations: z.array(gccLocation).optional(),
      children: z.array(gccDiagnostic).optional(),
    })
    .passthrough(),
);

const SEVERITIES = { error: "error", "fatal error": "error", warning: "warning", note: "note" } as const;

/** The module a path in the sandbox's /build names, or undefined for a header's path. */
function moduleOf(file: string): ModuleName | undefined {
  const base = file.replace(/^\/build\//, "");
  return MODULES.find((m) => base === `${m}.c`);
}

function flatten(diagnostic: GccDiagnostic, out: BuildDiagnostic[]): void {
  const caret = diagnostic.locations?.[0]?.caret;
  const severity = SEVERITIES[diagnostic.kind as keyof typeof SEVERITIES] ?? "note";
  const module = caret ? moduleOf(caret.file) : undefined;
  out.push({
    module: module ?? null,
    // Cut to the protocol's caps: a path or message that long is the learner's own macro at work.
    file: caret ? caret.file.replace(/^\/build\//, "").slice(0, 200) : null,
    line: caret?.line ?? 0,
    column: caret?.column ?? 0,
    severity,
    message: diagnostic.message.slice(0, 2000),
    option: diagnostic.option?.slice(0, 80) ?? null,
  });
  for (const child of diagnostic.children ?? []) flatten(child, out);
}

export type ParsedOutput = { diagnostics: BuildDiagnostic[]; otherLines: string[] };

/**
 * Splits what the sandboxed kbuild printed into gcc's JSON diagnostics (one array per compiled
 * file, on a line of its own) and the rest (modpost, make's errors), without the sandbox's paths.
 */
export function parseBuildOutput(output: string): ParsedOutput {
  const diagnostics: BuildDiagnostic[] = [];
  const otherLines: string[] = [];
  for (const line of output.split("\n")) {
    if (line.startsWith("[")) {
      const parsed = safeJson(line);
      const list = z.array(gccDiagnostic).safeParse(parsed);
      if (list.success) {
        for (const diagnostic of list.data) flatten(diagnostic, diagnostics);
        continue;
      }
    }
    if (line.startsWith("[{")) {
      otherLines.push("(gcc's diagnostics were cut off at the build's output cap)");
      continue;
    }
    const shown = line.replaceAll("/build/", "");
    if (shown.trim() === "" || /^make(\[\d+\])?: (Entering|Leaving) directory/.test(shown)) continue;
    // make's own "*** [...] Error 1" lines name kbuild's files, not the learner's.
    if (shown.startsWith("Skipping BTF generation") || /^make(\[\d+\])?: \*\*\* /.test(shown)) continue;
    otherLines.push(shown);
  }
  return { diagnostics, otherLines };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** gcc's own text form (`server.c:12:5: warning: … [-Wopt]`), for the build log. */
export function diagnosticLine(d: BuildDiagnostic): string {
  const where = d.file ? `${d.file}:${d.line}:${d.column}: ` : "";
  return `${where}${d.severity}: ${d.message}${d.option ? ` [${d.option}]` : ""}`;
}
