import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_SERIES, compareReleases, seriesOf } from "../../shared/releases/kernelSeries.ts";

/**
 * The kernel releases this machine can build for and boot, by name. One small module so the
 * engine, the stepper and the playground's sandboxed build all take the same paths for a release:
 * its image, its System.map and its kbuild tree. Two places hold them: the system's own kernel
 * (/boot + /lib/modules, installed by apt) and the lab's cache, where scripts/install-real-kernel.sh
 * unpacks Debian's packages of other releases without installing them.
 */
export type KernelRelease = {
  /** `uname -r` in the guest: 6.12.118+deb12-cloud-amd64. */
  release: string;
  /** The name the picker carries: 6.12. */
  series: string;
  /** The kbuild tree modules are built against (`make -C <buildDir> M=...`). */
  buildDir: string;
  /** The image QEMU boots; absent for a release that is only built here. */
  vmlinuz?: string;
  systemMap?: string;
  origin: "system" | "cache";
};

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const KERNELS_DIR = process.env.REAL_KERNEL_KERNELS ?? join(ROOT, ".cache/kernels");

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function systemReleases(): KernelRelease[] {
  return list("/lib/modules").flatMap((release) => {
    const buildDir = `/lib/modules/${release}/build`;
    if (!existsSync(join(buildDir, "Makefile"))) return [];
    const vmlinuz = `/boot/vmlinuz-${release}`;
    const systemMap = `/boot/System.map-${release}`;
    return [
      {
        release,
        series: seriesOf(release),
        buildDir,
        vmlinuz: existsSync(vmlinuz) ? vmlinuz : undefined,
        systemMap: existsSync(systemMap) ? systemMap : undefined,
        origin: "system" as const,
      },
    ];
  });
}

/** What the install script unpacked: <KERNELS_DIR>/<release>/{boot,usr/src/linux-headers-<release>}. */
function cachedReleases(): KernelRelease[] {
  return list(KERNELS_DIR).flatMap((release) => {
    const root = join(KERNELS_DIR, release);
    if (release.startsWith(".") || !existsSync(join(root, ".complete"))) return [];
    const buildDir = join(root, "usr/src", `linux-headers-${release}`);
    if (!existsSync(join(buildDir, "Makefile"))) return [];
    const vmlinuz = join(root, "boot", `vmlinuz-${release}`);
    const systemMap = join(root, "boot", `System.map-${release}`);
    return [
      {
        release,
        series: seriesOf(release),
        buildDir,
        vmlinuz: existsSync(vmlinuz) ? vmlinuz : undefined,
        systemMap: existsSync(systemMap) ? systemMap : undefined,
        origin: "cache" as const,
      },
    ];
  });
}

/** Every release found, oldest first; a series found twice keeps the system's copy. */
export function kernelReleases(): KernelRelease[] {
  const found = [...systemReleases(), ...cachedReleases()];
  const bySeries = new Map<string, KernelRelease>();
  for (const r of found) {
    const held = bySeries.get(r.series);
    if (!held || (held.origin === "cache" && r.origin === "system")) bySeries.set(r.series, r);
  }
  return [...bySeries.values()].sort((a, b) => compareReleases(a.release, b.release));
}

/**
 * The release named `name` (a series, 6.12, or a full release, 6.12.118+deb12-cloud-amd64).
 * Without a name: REAL_KERNEL_RELEASE, else the lab's default series, else the system's own —
 * never "the newest installed", which would change under the lab whenever a kernel is added.
 */
export function kernelRelease(name?: string): KernelRelease | undefined {
  const all = kernelReleases();
  const wanted = name ?? process.env.REAL_KERNEL_RELEASE ?? DEFAULT_SERIES;
  const named = all.find((r) => r.release === wanted || r.series === wanted);
  if (named || name !== undefined) return named;
  return all.find((r) => r.origin === "system") ?? all[0];
}

/** What the picker shows as built (and run) here: each release's series, `uname -r`, whether it boots. */
export function releasesHere(): { series: string; release: string; boots: boolean }[] {
  return kernelReleases().map((r) => ({
    series: r.series,
    release: r.release,
    boots: r.vmlinuz !== undefined,
  }));
}

/** The series a session runs when it has not picked one. */
export function defaultSeries(): string | undefined {
  return kernelRelease()?.series;
}
