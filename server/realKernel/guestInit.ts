import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MODULES, type ModuleName, VARIANTS, type Variant } from "../../shared/protocol/steps.ts";
import { CACHE_DIR } from "./build.ts";

/**
 * The guest's /init. It sets up just enough (proc, sys, devtmpfs, the loopback interface the
 * modules dial) and then takes one command a line from the serial console: "<id> insmod <variant>
 * <module>", "<id> rmmod - <module>", "<id> sync - -", "<id> poweroff - -". insmod and rmmod run in
 * the background, since the published server's insmod blocks in accept until a client comes.
 *
 * It never writes to the console, which the kernel prints every record on: its answers go into the
 * kernel log (/dev/kmsg) and reach the console in order with the records the module printed
 * meanwhile: "@@> <id> <line>" for each line the tool printed, then "@@ <id> rc=<exit status>".
 * "sync" answers at once; its record also makes the kernel finalize a record still held open for a
 * continuation (a printk cut at the record limit loses its newline), which no reader sees before.
 * Echo is off before "@@ ready", so the commands typed in are never printed back.
 */
export const GUEST_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec 1>/dev/kmsg 2>&1
ip link set lo up
stty -echo
say() { echo "@@$*" >/dev/kmsg; }
run() {
  id=$1; shift
  out=$("$@" 2>&1); rc=$?
  [ -n "$out" ] && printf '%s\\n' "$out" | while IFS= read -r l; do say "> $id $l"; done
  say " $id rc=$rc"
}
say " ready $(uname -r)"
while read -r id cmd variant module; do
  case "$cmd:$variant:$module" in
    insmod:published:server|insmod:published:client|insmod:fixed:server|insmod:fixed:client)
      (cd "/$variant" && run "$id" insmod "$module.ko") & ;;
    rmmod:*:server|rmmod:*:client) run "$id" rmmod "$module" & ;;
    sync:*) say " $id rc=0" ;;
    poweroff:*) poweroff -f ;;
    *) say " $id rc=127" ;;
  esac
done
`;

export type GuestModules = Record<Variant, Record<ModuleName, string>>;

function cpio(staging: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", `find . | cpio -o -H newc --quiet > '${out}'`],
      { cwd: staging },
      (error, _o, stderr) =>
        error ? reject(new Error(`cpio failed: ${stderr || error.message}`)) : resolve(),
    );
  });
}

/**
 * Packs busybox, the init and both pairs of modules into a newc cpio archive, cached by the hash
 * of what goes in. Returns the archive's path.
 */
export async function buildInitramfs(busybox: string, modules: GuestModules): Promise<string> {
  const hash = createHash("sha256").update(GUEST_INIT);
  const bb = statSync(busybox);
  hash.update(`${busybox}:${bb.size}:${bb.mtimeMs}`);
  for (const variant of VARIANTS) for (const module of MODULES) hash.update(modules[variant][module]);
  const key = hash.digest("hex").slice(0, 16);
  const archive = join(CACHE_DIR, `initramfs-${key}.cpio`);
  if (existsSync(archive)) return archive;

  const staging = join(CACHE_DIR, `initramfs-${key}.tmp-${process.pid}-${Date.now()}`);
  try {
    for (const dir of ["bin", "dev", "proc", "sys", ...VARIANTS])
      mkdirSync(join(staging, dir), { recursive: true });
    copyFileSync(busybox, join(staging, "bin/busybox"));
    writeFileSync(join(staging, "init"), GUEST_INIT, { mode: 0o755 });
    for (const variant of VARIANTS) {
      for (const module of MODULES)
        copyFileSync(modules[variant][module], join(staging, variant, `${module}.ko`));
    }
    await cpio(staging, `${archive}.part`);
    renameSync(`${archive}.part`, archive);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${archive}.part`, { force: true });
  }
  return archive;
}
