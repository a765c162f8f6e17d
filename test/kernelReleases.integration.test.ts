import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPair, sourcesFor } from "../server/realKernel/build.ts";
import { kbuildCommand } from "../server/realKernel/buildRoot.ts";
import { kernelRelease } from "../server/realKernel/kernelReleases.ts";
import { MODULES, type Variant } from "../shared/protocol/steps.ts";
import { printkLimit } from "../shared/releases/releaseFacts.ts";
import { BOOT_MS, realKernelApp, TEST_MS } from "./helpers/realKernelLab.ts";

// The releases the install script leaves here: 6.1 (the system's), 6.12 (unpacked in the lab's
// cache) and 5.10's headers (built here, not booted). Each part is skipped, saying why, where its
// release is not here.
const six1 = kernelRelease("6.1");
const six12 = kernelRelease("6.12");
if (!six12) console.warn("6.12 tests skipped: run `bash scripts/install-real-kernel.sh` (LAB_KERNELS=6.12)");
// 5.10 (bullseye): its headers by default; its image opt-in (LAB_KERNELS="6.12 5.10").
const five10 = kernelRelease("5.10");
// 7.3 (trixie-backports) is opt-in: LAB_KERNELS="6.12 7.3"; built with gcc-14 in a trixie build root.
const seven3 = kernelRelease("7.3");
if (!five10)
  console.warn(
    "5.10 tests skipped: run `bash scripts/install-real-kernel.sh` (its default unpacks 5.10's headers)",
  );

/** kbuild with W=1 in a fresh directory: the exit code and what the compiler printed. */
function kbuildW1(
  buildDir: string,
  variant: Variant,
  release: string,
): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "lab-w1-"));
  writeFileSync(join(dir, "Kbuild"), `obj-m := ${MODULES.map((m) => `${m}.o`).join(" ")}\n`);
  const sources = sourcesFor(variant, release);
  for (const m of MODULES) writeFileSync(join(dir, `${m}.c`), sources[m]);
  // In the release's build root when its gcc is not here (7.3: trixie's gcc-14).
  const make = kbuildCommand(buildDir, ["-C", buildDir, `M=${dir}`, "W=1", "modules"], [dir]);
  return new Promise((resolve) => {
    execFile(
      make.file,
      make.args,
      { timeout: 180_000, maxBuffer: 8 * 1024 * 1024, env: { ...process.env, LC_ALL: "C" } },
      (error, stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe("each kernel release's listings, built against that release's real headers", () => {
  for (const [series, found] of [
    ["5.10", five10],
    ["6.1", six1],
    ["6.12", six12],
    ["7.3", seven3],
  ] as const) {
    it.skipIf(!found)(
      `the fixed listing with ${series}'s edits builds with W=1 and the compiler warns about nothing in it`,
      async () => {
        const { code, output } = await kbuildW1(found!.buildDir, "fixed", found!.release);
        expect(code, output).toBe(0);
        expect(output.split("\n").filter((l) => /(server|client)\.c:\d+:\d+: warning/.test(l))).toEqual([]);
      },
      TEST_MS,
    );

    it.skipIf(!found)(
      `the published listing with ${series}'s edits builds, its bugs kept`,
      async () => {
        const built = await buildPair(
          sourcesFor("published", found!.release),
          found!.release,
          found!.buildDir,
        );
        expect(built.ok, built.ok ? "" : built.output).toBe(true);
      },
      TEST_MS,
    );
  }

  it.skipIf(!six12)(
    "6.1's port of the published server fails on 6.12 with the compiler's own words about the accept call",
    async () => {
      const built = await buildPair(sourcesFor("published", "6.1"), six12!.release, six12!.buildDir);
      expect(built.ok).toBe(false);
      expect(built.output).toMatch(/too many arguments to function [‘']sock->ops->accept[’']/);
      expect(built.output).toMatch(/server\.c:\d+:\d+: error/);
    },
    TEST_MS,
  );

  it.skipIf(!six12)(
    "the published listing as its author wrote it (edits off) fails on 6.12: sock_create_kern wants the namespace",
    async () => {
      const built = await buildPair(
        sourcesFor("published", six12!.release, false),
        six12!.release,
        six12!.buildDir,
      );
      expect(built.ok).toBe(false);
      expect(built.output).toMatch(/too few arguments to function [‘']sock_create_kern[’']/);
    },
    TEST_MS,
  );
  // 5.10 as written (edits off): e2e/releases.spec.ts builds it from the picker and shows gcc's error.
});

const labs = realKernelApp();

describe.skipIf(!five10?.vmlinuz)("the fixed pair on 5.10 (opt-in)", () => {
  it(
    "boots 5.10 when the learner picks it (the banner names it) and the server receives the client's 1024 bytes, cut at 5.10's 992",
    async () => {
      const lab = await labs.open("fixed", { release: "5.10" });
      lab.send({ type: "module.load", module: "server" });
      await lab.waitFor((e) => e.type === "printk" && e.text.startsWith("server:listen ok"), BOOT_MS);
      expect(lab.of("engine").find((e) => e.status === "ready")?.kernelRelease).toBe(five10!.release);
      lab.send({ type: "module.load", module: "client" });
      const received = await lab.waitFor(
        (e) => e.type === "printk" && e.text.startsWith("server: receive message (1024 bytes)"),
        BOOT_MS,
      );
      const text = received.type === "printk" ? received.text : "";
      const prefix = "server: receive message (1024 bytes): ";
      const ones = text.slice(prefix.length).split("\\x01").length - 1;
      // 5.10's LOG_LINE_MAX is 6.1's: 1024 - PREFIX_MAX (32) = 992.
      expect([prefix.length, ones]).toEqual([38, printkLimit("5.10").fixedReceiveOnes]);
    },
    TEST_MS,
  );
});

describe.skipIf(!six12?.vmlinuz)("the fixed pair on a release picked by name", () => {
  it(
    "boots 6.12 when the learner picks it (the banner names it) and the server receives the client's 1024 bytes",
    async () => {
      const lab = await labs.open("fixed", { release: "6.12" });
      lab.send({ type: "module.load", module: "server" });
      await lab.waitFor((e) => e.type === "printk" && e.text.startsWith("server:listen ok"), BOOT_MS);
      const banner = lab.of("kernel.boot")[0]?.records.find((r) => r.text.startsWith("Linux version"));
      expect(banner?.text).toContain(`Linux version ${six12!.release.replace(/-cloud-amd64$/, "")}`);
      expect(lab.of("engine").find((e) => e.status === "ready")?.kernelRelease).toBe(six12!.release);
      lab.send({ type: "module.load", module: "client" });
      const received = await lab.waitFor(
        (e) => e.type === "printk" && e.text.startsWith("server: receive message (1024 bytes)"),
        BOOT_MS,
      );
      expect(received).toMatchObject({ source: "server" });
      // 6.3 raised the record to PRINTKRB_RECORD_MAX (1024): 38 bytes of text and 983 of the 0x01s,
      // where 6.1's LOG_LINE_MAX (992) kept 951 (shared/releases/releaseFacts.ts).
      // The console shows each 0x01 as /dev/kmsg escapes it: \x01.
      const text = received.type === "printk" ? received.text : "";
      const prefix = "server: receive message (1024 bytes): ";
      const tail = text.slice(prefix.length);
      const ones = tail.split("\\x01").length - 1;
      expect(text.startsWith(prefix) && tail).toBe("\\x01".repeat(ones));
      expect([prefix.length, ones]).toEqual([38, printkLimit("6.12").fixedReceiveOnes]);
    },
    TEST_MS,
  );
});
