import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "./build.ts";

/**
 * An image built with the real kernel carries both module pairs and the initramfs, prebuilt, in a
 * read-only directory (REAL_KERNEL_PREBUILT). The cache the app writes is a volume (an emptyDir on
 * a read-only root), empty at start: what the image holds is copied in (a few MB), so the first
 * "Real kernel" pick finds its build done. Entries the cache already has are left as they are.
 */
export function seedCacheFromPrebuilt(
  prebuilt = process.env.REAL_KERNEL_PREBUILT,
  cache = CACHE_DIR,
): number {
  if (!prebuilt || !existsSync(prebuilt)) return 0;
  mkdirSync(cache, { recursive: true });
  let copied = 0;
  for (const entry of readdirSync(prebuilt)) {
    if (existsSync(join(cache, entry))) continue;
    cpSync(join(prebuilt, entry), join(cache, entry), { recursive: true, preserveTimestamps: true });
    copied++;
  }
  return copied;
}
