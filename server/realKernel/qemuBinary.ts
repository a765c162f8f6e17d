import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Which QEMU the real-kernel engine runs. QEMU 7.2 (bookworm's) flushes TCG's whole translation
 * cache at every breakpoint stop of its gdbstub, and the guest then runs ~120 ms slower while it
 * translates its kernel afresh: tracing every run pays that at each call site (docs/real-kernel.md,
 * "Which QEMU"). Debian's newer QEMU (trixie-backports) is unpacked by
 * scripts/install-real-kernel.sh into the lab's cache, never installed onto the machine; its binary
 * is patched to load trixie's libraries from beside it, so it runs as itself (its /proc/<pid>/exe
 * and its name are qemu-system-x86_64's).
 *
 * REAL_KERNEL_QEMU picks: `system` (the qemu-system-x86_64 on PATH), a path to a binary, or unset:
 * the unpacked one when it is complete, else the system's.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const QEMU_CACHE_DIR = process.env.REAL_KERNEL_QEMU_DIR ?? join(ROOT, ".cache/qemu");

export type QemuBinary = {
  path: string;
  /** Where its firmware is (-L, first match wins), for a QEMU not installed under /usr. */
  dataDirs: string[];
  /** "system", or the Debian version of the unpacked one (from its .complete marker). */
  origin: string;
};

/** The unpacked QEMU in the lab's cache, when install-real-kernel.sh finished unpacking it. */
export function cachedQemu(dir = QEMU_CACHE_DIR): QemuBinary | undefined {
  const marker = join(dir, ".complete");
  const binary = join(dir, "usr/bin/qemu-system-x86_64");
  if (!existsSync(marker) || !existsSync(binary)) return undefined;
  return { path: binary, dataDirs: dataDirsOf(dir), origin: readFileSync(marker, "utf8").trim() || "cache" };
}

/** The firmware directories of a tree unpacked from Debian's packages (qemu-system-data, seabios, ipxe-qemu). */
function dataDirsOf(root: string): string[] {
  return ["usr/share/qemu", "usr/share/seabios", "usr/lib/ipxe/qemu"]
    .map((dir) => join(root, dir))
    .filter((dir) => existsSync(dir));
}

/** The QEMU to run: REAL_KERNEL_QEMU's, the cache's, or `onPath`'s (the system's); undefined when none. */
export function chooseQemu(
  onPath: () => string | undefined,
  wanted = process.env.REAL_KERNEL_QEMU,
): QemuBinary | undefined {
  if (wanted && wanted !== "system") {
    if (!existsSync(wanted)) return undefined;
    // A binary at <root>/usr/bin/ has its firmware under <root>/usr/share/.
    return { path: wanted, dataDirs: dataDirsOf(dirname(dirname(dirname(wanted)))), origin: wanted };
  }
  if (wanted !== "system") {
    const cached = cachedQemu();
    if (cached) return cached;
  }
  const system = onPath();
  return system ? { path: system, dataDirs: [], origin: "system" } : undefined;
}
