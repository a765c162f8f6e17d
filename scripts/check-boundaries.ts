/**
 * client/ and server/ never import each other; shared/ imports neither and uses no node: or DOM
 * API. Checked on the import specifiers of every source file. The per-side TypeScript projects
 * (client/, server/, shared/ tsconfig.json) make the compiler refuse Node in the client and the DOM
 * in the server as well; test/boundaries.test.ts proves both on probe files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const IMPORT =
  /(?:import|export)\s[^"']*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const rules: Record<string, (target: string, spec: string) => string | undefined> = {
  client: (target) => (target.startsWith("server/") ? "client/ imports server/" : undefined),
  server: (target) => (target.startsWith("client/") ? "server/ imports client/" : undefined),
  shared: (target, spec) => {
    if (target.startsWith("client/") || target.startsWith("server/")) return "shared/ imports a side";
    if (spec.startsWith("node:")) return "shared/ uses a node: API";
    return undefined;
  },
};

const problems: string[] = [];
for (const side of Object.keys(rules)) {
  for (const file of files(join(ROOT, side))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3] ?? "";
      const target = spec.startsWith(".") ? relative(ROOT, resolve(file, "..", spec)) : spec;
      const problem = rules[side]?.(target, spec);
      if (problem) problems.push(`${relative(ROOT, file)}: ${problem} (${spec})`);
    }
    if (side === "shared" && /\b(window|document|localStorage)\./.test(text)) {
      problems.push(`${relative(ROOT, file)}: shared/ uses a DOM API`);
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("boundaries ok: client/ ↔ server/ independent, shared/ pure");
