import { cachedGccBuild } from "./cachedGccBuild.ts";

/**
 * A guest tool written in C, built once with `gcc -static` (no library in the initramfs beside it)
 * and cached by its source's hash. Returns the binary's path on the host.
 */
export function staticGuestTool(name: string, source: string): Promise<string> {
  return cachedGccBuild({ name, what: `the guest's ${name}`, source, flags: ["-static", "-Os", "-s"] });
}
