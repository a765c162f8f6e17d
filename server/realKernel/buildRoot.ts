import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { headerDirs, usrMergeLinks } from "./sandboxArgs.ts";

/**
 * A kbuild tree whose compiler is not on this machine (7.x's headers name gcc-14 and its flags;
 * bookworm has gcc-12) is built inside a root of the suite it came from: the install script makes a
 * trixie root with mmdebstrap and names it in `<release dir>/.build-root` (docs/kernel-releases.md).
 * Every make against such a tree — the lab's listings, the stepper's layout probe — runs in that
 * root under bwrap, with the tree read-only and only the output directory writable.
 */

/** The build root a kbuild tree must be built in, or undefined: the machine's own toolchain. */
export function buildRootOf(buildDir: string): string | undefined {
  // <KERNELS_DIR>/<release>/usr/src/linux-headers-<release>: the release's directory is three up.
  const marker = join(buildDir, "..", "..", "..", ".build-root");
  if (!existsSync(marker)) return undefined;
  const root = readFileSync(marker, "utf8").trim();
  return existsSync(join(root, "usr/bin/make")) ? root : undefined;
}

/**
 * `make <args>` for a kbuild tree: as is on this machine, or in the tree's build root (bwrap: no
 * network, no host processes, the root's /usr and /etc read-only, the tree read-only at its own
 * path — its Makefile names the common tree by absolute path — and `writable` bound read-write).
 */
export function kbuildCommand(
  buildDir: string,
  makeArgs: string[],
  writable: string[],
): { file: string; args: string[] } {
  const root = buildRootOf(buildDir);
  if (!root) return { file: "make", args: makeArgs };
  const binds: string[] = [];
  for (const dir of headerDirs(buildDir)) binds.push("--ro-bind", dir, dir);
  for (const dir of writable) binds.push("--bind", dir, dir);
  return {
    file: "bwrap",
    args: [
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      "--ro-bind",
      join(root, "usr"),
      "/usr",
      "--ro-bind",
      join(root, "etc"),
      "/etc",
      // The root's whole /usr is bound: its own sbin.
      ...usrMergeLinks("usr/sbin"),
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--tmpfs",
      "/tmp",
      ...binds,
      "--setenv",
      "PATH",
      "/usr/bin",
      "make",
      ...makeArgs,
    ],
  };
}
