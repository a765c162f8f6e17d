import { execFile } from "node:child_process";
import { trackBuild } from "./buildsInFlight.ts";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MODULES, type ModuleName, VARIANTS, type Variant } from "../../shared/protocol/steps.ts";
import { CACHE_DIR } from "./build.ts";
import { cachedFile } from "./cacheLock.ts";
import { KERNEL_SYMBOLS } from "./gdb/kernelSymbols.ts";
import { GUEST_GATES_DIR, GUEST_IN_ORDER_PATH, guestInOrder } from "./guestInOrder.ts";
import { GUEST_INSMOD_PATH, guestInsmod } from "./guestInsmod.ts";

const IN_ORDER = GUEST_IN_ORDER_PATH.slice("/bin/".length);

/**
 * The kernel symbols the stepper needs (breakpoints, the ops tables it names), read by the init's
 * "syms" command from /proc/kallsyms: the guest boots with nokaslr, so they hold for the whole VM.
 */
export const KALLSYMS_PATTERN = ` (${KERNEL_SYMBOLS.join("|")})$`;

/**
 * The guest's /init. It sets up just enough (proc, sys, devtmpfs, the loopback interface the
 * modules dial) and then takes one command a line from its own serial port, ttyS1 (the kernel's
 * console is ttyS0): "<id> insmod <variant> <module>" (kmod's one finit_module(), guestInsmod.ts), "<id> rmmod - <module>", "<id> sync - -",
 * "<id> put <module> <base64 of the gzipped .ko>" (a learner's build, kept as /learner/<module>.ko
 * until the next put; "<id> insmod learner <module>" loads it), "<id> flood <records> <bytes>", "<id> syms - -" (the /proc/kallsyms lines of the symbols
 * the step-mode debugger needs), "<id> tcp - -" (the guest's /proc/net/tcp, for the Socket states tab), "<id> poweroff - -". See commandChannel.ts for why a port of its own.
 *
 * The port is opened and set raw (no echo, no line editing) before the init says "ready" on it, so
 * no byte arrives before it is read. Each line is checked whole and answered on the port at once:
 * "ack <id>", "nak" for a line it cannot read (the host writes it again), or "bad <id>" for a
 * command it does not take (the host fails it). A line whose id was
 * already taken (the host asked again for a lost acknowledgement) is acknowledged and not run twice.
 * insmod and rmmod then run in the background, since the published server's insmod blocks in accept,
 * but in the order they were sent: each waits for the one before to return or to sleep in the
 * kernel (guestInOrder.ts), so a traced server's load is never overtaken by the client's.
 *
 * Their outcome goes into the kernel log (/dev/kmsg), never onto the console port, so it reaches the
 * console in order with the records the module printed meanwhile: "@@> <id> <line>" for each line
 * the tool printed, then "@@ <id> rc=<exit status>". "sync" answers at once; its record also makes
 * the kernel finalize a record still held open for a continuation (a printk cut at the record limit
 * loses its newline), which no reader sees before. "flood" writes that many records of that many
 * bytes into the log in the background: the channel's test and the bench load the console with it.
 *
 * "tcp" is the exception: its lines need no order with the module's records, so they come back on
 * the command port ("out <id> <line>", then "end <id> <exit status>"). Through the kernel log each
 * of its ~150-byte rows went out on the console, whose driver writes a byte at a time and waits
 * for the UART after each, and cost the guest's one CPU milliseconds a read, taken from the
 * insmod or rmmod it ran beside (a traced run reads it after calls, mid-lesson).
 */
export const GUEST_INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec 1>/dev/kmsg 2>&1
ip link set lo up
mkdir -p /learner
exec 3<>/dev/ttyS1
stty raw -echo <&3
say() { echo "@@$*" >/dev/kmsg; }
answer() { printf '%s\n' "$*" >&3; }
run() {
  id=$1; shift
  out=$("$@" 2>&1); rc=$?
  [ -n "$out" ] && printf '%s\n' "$out" | while IFS= read -r l; do say "> $id $l"; done
  say " $id rc=$rc"
}
put() { echo "$2" | base64 -d | gunzip > "/learner/$1.ko"; }
flood() {
  line=$(printf "%\${2}s" "" | tr " " "~")
  i=0; while [ $i -lt "$1" ]; do echo "flood $i $line" >/dev/kmsg; i=$((i+1)); done
}
mkdir -p ${GUEST_GATES_DIR}
after=-
say " ready $(uname -r)"
answer "ready $(uname -r)"
last=0
while read -r id cmd a b rest <&3; do
  case "$id" in ''|*[!0-9]*) answer "nak $id $cmd $a $b $rest"; continue ;; esac
  [ -z "$rest" ] || { answer "nak $id $cmd $a $b $rest"; continue; }
  if [ "$id" -le "$last" ]; then answer "ack $id"; continue; fi
  case "$cmd:$a:$b" in
    insmod:published:server|insmod:published:client|insmod:fixed:server|insmod:fixed:client|insmod:learner:server|insmod:learner:client)
      last=$id; answer "ack $id"; gate=${GUEST_GATES_DIR}/$id
      (cd "/$a" && run "$id" ${IN_ORDER} "$after" "$gate" ${GUEST_INSMOD_PATH} "$b.ko") & after=$gate ;;
    put:server:*|put:client:*)
      case "$b" in *[!A-Za-z0-9+/=]*) answer "bad $id"; continue ;; esac
      last=$id; answer "ack $id"; run "$id" put "$a" "$b" & ;;
    rmmod:-:server|rmmod:-:client)
      last=$id; answer "ack $id"; gate=${GUEST_GATES_DIR}/$id
      run "$id" ${IN_ORDER} "$after" "$gate" /bin/rmmod "$b" & after=$gate ;;
    sync:-:-) last=$id; answer "ack $id"; say " $id rc=0" ;;
    tcp:-:-) last=$id; answer "ack $id"; { sed "s/^/out $id /" /proc/net/tcp >&3; answer "end $id $?"; } & ;;
    syms:-:-) last=$id; answer "ack $id"; run "$id" grep -E '${KALLSYMS_PATTERN}' /proc/kallsyms & ;;
    flood:[1-9]*:[1-9]*)
      case "$a$b" in *[!0-9]*) answer "bad $id"; continue ;; esac
      last=$id; answer "ack $id"; { flood "$a" "$b"; say " $id rc=0"; } & ;;
    poweroff:-:-) last=$id; answer "ack $id"; poweroff -f ;;
    *) last=$id; answer "bad $id" ;;
  esac
done
`;

export type GuestModules = Record<Variant, Record<ModuleName, string>>;

function cpio(staging: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    trackBuild(
      execFile(
        "sh",
        ["-c", `find . | cpio -o -H newc --quiet > '${out}'`],
        { cwd: staging },
        (error, _o, stderr) =>
          error ? reject(new Error(`cpio failed: ${stderr || error.message}`)) : resolve(),
      ),
    );
  });
}

/**
 * Packs busybox, the init and both pairs of modules into a newc cpio archive, cached by the hash
 * of what goes in. Returns the archive's path.
 */
export async function buildInitramfs(busybox: string, modules: GuestModules): Promise<string> {
  // insmod is kmod's one finit_module() (guestInsmod.ts), not BusyBox's, which retries init.
  const insmod = await guestInsmod();
  const inOrder = await guestInOrder();
  const hash = createHash("sha256").update(GUEST_INIT).update(insmod).update(inOrder);
  const bb = statSync(busybox);
  hash.update(`${busybox}:${bb.size}:${bb.mtimeMs}`);
  for (const variant of VARIANTS) for (const module of MODULES) hash.update(modules[variant][module]);
  const key = hash.digest("hex").slice(0, 16);
  const archive = join(CACHE_DIR, `initramfs-${key}.cpio`);
  // Another process (a test file's app, a spawned server) may build the same archive now: it is
  // waited for, not raced (cacheLock.ts).
  return cachedFile(archive, () => packInitramfs(busybox, insmod, inOrder, modules, archive));
}

/**
 * Stages the guest's tree and packs it. The archive is written under a name of this process's own
 * and renamed in whole: a VM only ever boots a complete archive, and a process killed mid-cpio
 * (its cpio goes on as an orphan) writes into a file nobody boots.
 */
async function packInitramfs(
  busybox: string,
  insmod: string,
  inOrder: string,
  modules: GuestModules,
  archive: string,
): Promise<void> {
  const part = `${archive}.${process.pid}.part`;
  const staging = `${archive}.tmp-${process.pid}-${Date.now()}`;
  try {
    for (const dir of ["bin", "dev", "proc", "sys", ...VARIANTS])
      mkdirSync(join(staging, dir), { recursive: true });
    copyFileSync(busybox, join(staging, "bin/busybox"));
    copyFileSync(insmod, join(staging, GUEST_INSMOD_PATH.slice(1)));
    chmodSync(join(staging, GUEST_INSMOD_PATH.slice(1)), 0o755);
    copyFileSync(inOrder, join(staging, GUEST_IN_ORDER_PATH.slice(1)));
    chmodSync(join(staging, GUEST_IN_ORDER_PATH.slice(1)), 0o755);
    writeFileSync(join(staging, "init"), GUEST_INIT, { mode: 0o755 });
    for (const variant of VARIANTS) {
      for (const module of MODULES)
        copyFileSync(modules[variant][module], join(staging, variant, `${module}.ko`));
    }
    await cpio(staging, part);
    renameSync(part, archive);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(part, { force: true });
  }
}
