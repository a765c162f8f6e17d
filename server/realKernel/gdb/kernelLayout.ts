import { execFile } from "node:child_process";
import { trackBuild } from "../buildsInFlight.ts";
import { kbuildCommand } from "../buildRoot.ts";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "../build.ts";
import { cachedFile } from "../cacheLock.ts";
import type { CallStructLayouts } from "../../../shared/kernelCalls/argumentDecoding.ts";

/**
 * Where the fields the stepper reads sit in the guest kernel's structures. The compiler answers,
 * not a table: a probe built with kbuild against the very headers (and .config) of the guest's
 * kernel puts each `offsetof`/`sizeof` in a section of its own, and the stepper reads them back.
 * A kernel with another layout gets other numbers, never stale ones.
 */
export type KernelLayout = {
  module: { name: number; kallsyms: number; nameLength: number };
  modKallsyms: { symtab: number; numSymtab: number; strtab: number };
  socket: { state: number; type: number; flags: number; sk: number; ops: number; size: number };
  /** The tick rate and the jiffies value at boot: uptime = (jiffies_64 - initialJiffies) / hz. */
  hz: number;
  initialJiffies: bigint;
  /** The members the call view decodes (socket's are the stepper's own, above). */
  calls: CallStructLayouts;
};

const FIELDS = [
  "offsetof(struct module, name)",
  "offsetof(struct module, kallsyms)",
  "MODULE_NAME_LEN",
  "offsetof(struct mod_kallsyms, symtab)",
  "offsetof(struct mod_kallsyms, num_symtab)",
  "offsetof(struct mod_kallsyms, strtab)",
  "offsetof(struct socket, state)",
  "offsetof(struct socket, type)",
  "offsetof(struct socket, flags)",
  "offsetof(struct socket, sk)",
  "offsetof(struct socket, ops)",
  "sizeof(struct socket)",
  "HZ",
  "INITIAL_JIFFIES",
  // The call view's structs, as this build lays them out (shared/kernelCalls/argumentDecoding.ts).
  "offsetof(struct sockaddr_in, sin_family)",
  "offsetof(struct sockaddr_in, sin_port)",
  "offsetof(struct sockaddr_in, sin_addr)",
  "sizeof(struct sockaddr_in)",
  "offsetof(struct msghdr, msg_name)",
  "offsetof(struct msghdr, msg_namelen)",
  "offsetof(struct msghdr, msg_iter.count)",
  "offsetof(struct msghdr, msg_controllen)",
  "offsetof(struct msghdr, msg_flags)",
  "sizeof(struct msghdr)",
  "offsetof(struct kvec, iov_base)",
  "offsetof(struct kvec, iov_len)",
  "sizeof(struct kvec)",
] as const;

export const LAYOUT_PROBE = `#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>

/* Read back by the lab's stepper (server/realKernel/gdb/kernelLayout.ts); never loaded. */
const unsigned long lab_layout[] __section(".lab_layout") __used = {
${FIELDS.map((f) => `\t${f},`).join("\n")}
};

MODULE_LICENSE("GPL");
`;

function run(command: string, args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    trackBuild(
      execFile(
        command,
        args,
        { cwd, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${command} failed: ${stderr || error.message}`)) : resolve(stdout),
      ),
    );
  });
}

export function decodeLayout(bytes: Buffer): KernelLayout {
  if (bytes.length !== FIELDS.length * 8)
    throw new Error(`the layout probe holds ${bytes.length} bytes, not ${FIELDS.length * 8}`);
  const at = (i: number) => bytes.readBigUInt64LE(i * 8);
  const n = (i: number) => Number(at(i));
  const socket = { state: n(6), type: n(7), flags: n(8), sk: n(9), ops: n(10), size: n(11) };
  return {
    module: { name: n(0), kallsyms: n(1), nameLength: n(2) },
    modKallsyms: { symtab: n(3), numSymtab: n(4), strtab: n(5) },
    socket,
    hz: n(12),
    initialJiffies: at(13),
    calls: {
      socket,
      sockaddrIn: { family: n(14), port: n(15), addr: n(16), size: n(17) },
      msghdr: { name: n(18), namelen: n(19), iterCount: n(20), controllen: n(21), flags: n(22), size: n(23) },
      kvec: { base: n(24), len: n(25), size: n(26) },
    },
  };
}

const inFlight = new Map<string, Promise<KernelLayout>>();

/** Builds the probe once per kernel release (cached with the modules) and reads its numbers. */
export function kernelLayout(release: string, buildDir: string): Promise<KernelLayout> {
  const key = createHash("sha256").update(`${release}\0${LAYOUT_PROBE}`).digest("hex").slice(0, 16);
  let promise = inFlight.get(key);
  if (!promise) {
    promise = probe(key, buildDir);
    promise.catch(() => inFlight.delete(key));
    inFlight.set(key, promise);
  }
  return promise;
}

async function probe(key: string, buildDir: string): Promise<KernelLayout> {
  const cached = join(CACHE_DIR, `layout-${key}.bin`);
  // One probe build for every process that needs it at once (cacheLock.ts).
  await cachedFile(cached, () => buildProbe(key, buildDir, cached));
  return decodeLayout(readFileSync(cached));
}

async function buildProbe(key: string, buildDir: string, cached: string): Promise<void> {
  const work = join(CACHE_DIR, `layout-${key}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    writeFileSync(join(work, "Kbuild"), "obj-m := lab_layout.o\n");
    writeFileSync(join(work, "lab_layout.c"), LAYOUT_PROBE);
    // In the release's build root when its compiler is not here (7.x: trixie's gcc-14).
    const make = kbuildCommand(buildDir, ["-C", buildDir, `M=${work}`, "lab_layout.o"], [work]);
    await run(make.file, make.args);
    await run("objcopy", ["-O", "binary", "--only-section=.lab_layout", "lab_layout.o", "layout.bin"], work);
    renameSync(join(work, "layout.bin"), cached);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
