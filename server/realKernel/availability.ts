import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { kernelRelease } from "./kernelReleases.ts";
import { chooseQemu } from "./qemuBinary.ts";

export const INSTALL_COMMAND = "bash scripts/install-real-kernel.sh";

/** Where the engine's tools are, once all are found. */
export type RealKernelTools = {
  qemu: string;
  /** Its firmware directories (-L) when it is the QEMU unpacked into the lab's cache (qemuBinary.ts). */
  qemuDataDirs?: string[];
  busybox: string;
  cpio: string;
  /** The kernel release, e.g. 6.1.0-56-cloud-amd64: the headers and the image must match it. */
  release: string;
  vmlinuz: string;
  /** The kbuild tree modules are built against (/lib/modules/<release>/build). */
  buildDir: string;
};

export type Availability =
  | { ok: true; tools: RealKernelTools; missing: []; installCommand: string }
  | { ok: false; missing: string[]; installCommand: string };

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The named release (or the default one), when both its headers and its image are here. */
function matchingRelease(name?: string): { release: string; vmlinuz: string; buildDir: string } | undefined {
  const found = kernelRelease(name);
  if (!found?.vmlinuz) return undefined;
  return { release: found.release, vmlinuz: found.vmlinuz, buildDir: found.buildDir };
}

/** The initramfs needs a busybox that runs with no libraries beside it. */
function staticBusybox(): string | undefined {
  for (const path of ["/bin/busybox", "/usr/bin/busybox"]) {
    if (!existsSync(path)) continue;
    try {
      execFileSync("ldd", [path], { stdio: "pipe" });
    } catch {
      return path; // ldd exits non-zero on "not a dynamic executable"
    }
  }
  return undefined;
}

/** Finds the tools the real-kernel engine needs; never throws. */
export function detectRealKernel(release?: string): Availability {
  const missing: string[] = [];
  const chosen = chooseQemu(() => onPath("qemu-system-x86_64"));
  const qemu = chosen?.path;
  if (!qemu)
    missing.push(
      process.env.REAL_KERNEL_QEMU && process.env.REAL_KERNEL_QEMU !== "system"
        ? `REAL_KERNEL_QEMU=${process.env.REAL_KERNEL_QEMU} (no such file)`
        : "qemu-system-x86_64 (qemu-system-x86)",
    );
  const kernel = matchingRelease(release);
  if (!kernel)
    missing.push(
      release === undefined
        ? "a /boot/vmlinuz-* with matching headers (linux-image-cloud-amd64, linux-headers-cloud-amd64)"
        : `kernel ${release}: its image and headers (LAB_KERNELS="${release}" ${INSTALL_COMMAND})`,
    );
  const busybox = staticBusybox();
  if (!busybox) missing.push("a static busybox (busybox-static)");
  const cpio = onPath("cpio");
  if (!cpio) missing.push("cpio");
  if (!onPath("gcc")) missing.push("gcc");
  // The guest's insmod (guestInsmod.ts) is linked statically.
  if (!existsSync("/usr/lib/x86_64-linux-gnu/libc.a")) missing.push("a static libc (libc6-dev)");
  if (!onPath("make")) missing.push("make");
  if (qemu && kernel && busybox && cpio && missing.length === 0) {
    return {
      ok: true,
      tools: { qemu, qemuDataDirs: chosen?.dataDirs ?? [], busybox, cpio, ...kernel },
      missing: [],
      installCommand: INSTALL_COMMAND,
    };
  }
  return { ok: false, missing, installCommand: INSTALL_COMMAND };
}

const cached = new Map<string, Availability>();
/**
 * Detected once per process and release (the default one without a name), re-detected while
 * missing (the learner may install meanwhile).
 */
export function realKernelAvailability(release?: string): Availability {
  const key = release ?? "";
  let found = cached.get(key);
  if (!found?.ok) {
    found = detectRealKernel(release);
    cached.set(key, found);
  }
  return found;
}
