import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The boundaries between the sides are the compiler's, not only a regex's: each test drops a
 * probe file that crosses one into the real tree, runs the very check `npm run check` runs on it,
 * and removes the probe again. Without these, a tsconfig edit that let Node types into the client
 * (or the DOM into the server) would pass unnoticed.
 */
const ROOT = join(import.meta.dirname, "..");
const PROBE = `boundaryProbe${process.pid}`;

function withProbe(path: string, text: string, run: () => { status: number | null; output: string }) {
  const file = join(ROOT, path);
  writeFileSync(file, text);
  try {
    return run();
  } finally {
    rmSync(file, { force: true });
  }
}

function typecheck(project: string): { status: number | null; output: string } {
  const tsc = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", project, "--pretty", "false"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}

function boundaries(): { status: number | null; output: string } {
  const run = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/check-boundaries.ts"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("the boundaries npm run check enforces", () => {
  it("fails to compile a client file that imports node:fs: the client project has no Node types", () => {
    const path = `client/src/${PROBE}.ts`;
    const result = withProbe(
      path,
      'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n',
      () => typecheck("client"),
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`${path}(1,`);
    expect(result.output).toMatch(/node:fs/);
  });

  it("fails to compile a server file that touches document: the server project has no DOM", () => {
    const path = `server/${PROBE}.ts`;
    const result = withProbe(path, "export const title = document.title;\n", () => typecheck("server"));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`${path}(1,`);
    expect(result.output).toMatch(/Cannot find name 'document'/);
  });

  it("fails to compile a shared file that uses Node's process or the DOM's window", () => {
    const path = `shared/${PROBE}.ts`;
    const result = withProbe(
      path,
      "export const env = process.env;\nexport const href = window.location.href;\n",
      () => typecheck("shared"),
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`${path}(1,`);
    expect(result.output).toMatch(/Cannot find name 'process'/);
    expect(result.output).toContain(`${path}(2,`);
    expect(result.output).toMatch(/Cannot find name 'window'/);
  });

  it("reports a client file that imports from server/ (npm run boundaries)", () => {
    const path = `client/src/${PROBE}.ts`;
    const result = withProbe(
      path,
      'export { LISTING_PORT } from "../../server/kernelTruth/labPorts.ts";\n',
      boundaries,
    );
    expect(result.status).toBe(1);
    expect(result.output).toContain(`${path}: client/ imports server/`);
  });
});
