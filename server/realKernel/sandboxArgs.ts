import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";

/** What one learner build may use; every cap ends the build with a clear error, never a hang. */
export type SandboxLimits = {
  /** Wall time of the whole build, enforced outside the sandbox by `timeout`. */
  wallMs: number;
  /** CPU seconds of each process (RLIMIT_CPU): cc1 on a 10 MB expansion ends here. */
  cpuSeconds: number;
  /** Address space of each process (RLIMIT_AS). */
  memoryBytes: number;
  /** The largest file a process may write (RLIMIT_FSIZE; a built .ko is ~0.45 MB); the tmpfs holds 4. */
  fileBytes: number;
  /** Processes of the sandbox's user (RLIMIT_NPROC); make + sh + gcc + cc1 + as need ~10. */
  processes: number;
  /** What the build may print before it is stopped; read by the host. */
  outputBytes: number;
};

export const DEFAULT_LIMITS: SandboxLimits = {
  wallMs: Number(process.env.LEARNER_BUILD_WALL_MS ?? 30_000),
  cpuSeconds: 20,
  memoryBytes: 1024 * 1024 * 1024,
  fileBytes: 8 * 1024 * 1024,
  processes: 64,
  outputBytes: 256 * 1024,
};

/** The toolchain kbuild runs: compiler, binutils, make, sh, coreutils, perl for W=1's kernel-doc. */
const TOOLCHAIN_DIRS = [
  "/usr/bin",
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/gcc",
  "/usr/lib64",
  "/usr/libexec/gcc",
  "/usr/share/perl",
  "/usr/share/perl5",
];

/**
 * The directories a kbuild tree needs: the tree itself, what its Makefile includes (Debian's
 * per-flavour tree includes the common one) and where its symlinks lead (`scripts` →
 * /usr/lib/linux-kbuild-<version>). Taken from the tree so a release unpacked elsewhere works too.
 */
export function headerDirs(buildDir: string): string[] {
  const dirs = new Set<string>();
  const visit = (dir: string) => {
    const real = realpathSync(dir);
    if (dirs.has(real)) return;
    dirs.add(real);
    const makefile = join(real, "Makefile");
    if (existsSync(makefile)) {
      for (const match of readFileSync(makefile, "utf8").matchAll(/^include\s+(\/\S+)\/Makefile\s*$/gm)) {
        if (match[1] && existsSync(match[1])) visit(match[1]);
      }
    }
    for (const entry of readdirSync(real)) {
      const path = join(real, entry);
      if (lstatSync(path).isSymbolicLink() && existsSync(path)) dirs.add(realpathSync(path));
    }
  };
  visit(buildDir);
  return [...dirs].sort();
}

/**
 * Debian's merged /usr: /bin, /lib, /lib64 and /sbin are links into /usr, which a sandbox that
 * binds /usr (or parts of it) must make itself. `sbin` is where /sbin leads.
 */
export function usrMergeLinks(sbin: "usr/sbin" | "usr/bin"): string[] {
  const links = { "/bin": "usr/bin", "/lib": "usr/lib", "/lib64": "usr/lib64", "/sbin": sbin };
  return Object.entries(links).flatMap(([path, target]) => ["--symlink", target, path]);
}

/** `awk` and friends are Debian alternatives: a link to the real tool, not /etc itself. */
function alternativeLinks(): string[] {
  const dir = "/etc/alternatives";
  if (!existsSync(dir)) return [];
  const args: string[] = [];
  for (const name of ["awk", "cc", "c++", "cpp", "ld"]) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const target = readlinkSync(path);
    if (target.startsWith("/usr/bin/")) args.push("--symlink", target, path);
  }
  return args;
}

/** The kbuild run inside: the sources copied into the tmpfs, every process capped, only .ko out. */
function innerScript(limits: SandboxLimits): string {
  const caps = [
    `--cpu=${limits.cpuSeconds}`,
    `--as=${limits.memoryBytes}`,
    `--fsize=${limits.fileBytes}`,
    `--nproc=${limits.processes}`,
    "--core=0",
  ].join(" ");
  // -fmax-errors bounds an #error flood; the JSON diagnostics are what the lines are marked from.
  const flags = "-fdiagnostics-format=json -fmax-errors=50";
  return [
    "set -e",
    "cp /in/*.c /in/Kbuild /build/",
    "cd /build",
    `prlimit ${caps} -- make -s -C "$1" M=/build W=1 KCFLAGS="${flags}" modules`,
    "cp /build/*.ko /out/",
  ].join("\n");
}

/**
 * bwrap's arguments: every namespace unshared (no network, no host pids, no IPC), no /proc, no /etc,
 * no /home, no app files — only the toolchain and the kbuild tree read-only, /dev/null, a fresh
 * tmpfs to build in, the sources read-only at /in and an empty /out for the two .ko files.
 */
export function sandboxArgs(
  buildDir: string,
  inDir: string,
  outDir: string,
  limits: SandboxLimits,
): string[] {
  const binds: string[] = [];
  for (const dir of [...TOOLCHAIN_DIRS, ...headerDirs(buildDir)]) {
    if (existsSync(dir)) binds.push("--ro-bind", dir, dir);
  }
  return [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--clearenv",
    "--setenv",
    "PATH",
    "/usr/bin",
    "--setenv",
    "LC_ALL",
    "C",
    "--setenv",
    "HOME",
    "/build",
    ...binds,
    // Only the toolchain's directories under /usr are bound here, /usr/sbin not among them.
    ...usrMergeLinks("usr/bin"),
    "--dir",
    "/etc",
    ...alternativeLinks(),
    "--dev-bind",
    "/dev/null",
    "/dev/null",
    "--size",
    String(limits.fileBytes * 4),
    "--tmpfs",
    "/tmp",
    "--size",
    String(limits.fileBytes * 4),
    "--tmpfs",
    "/build",
    "--ro-bind",
    inDir,
    "/in",
    "--bind",
    outDir,
    "/out",
    "--chdir",
    "/build",
    "sh",
    "-c",
    innerScript(limits),
    "sh",
    realpathSync(buildDir),
  ];
}
