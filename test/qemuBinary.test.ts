import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { qemuArgs } from "../server/realKernel/vm.ts";
import { cachedQemu, chooseQemu } from "../server/realKernel/qemuBinary.ts";

/** A tree laid out as install-real-kernel.sh unpacks Debian's packages: a binary and its firmware dirs. */
function unpackedTree(root: string, complete: boolean): void {
  mkdirSync(join(root, "usr/bin"), { recursive: true });
  mkdirSync(join(root, "usr/share/qemu"), { recursive: true });
  mkdirSync(join(root, "usr/share/seabios"), { recursive: true });
  writeFileSync(join(root, "usr/bin/qemu-system-x86_64"), "#!/bin/sh\n");
  chmodSync(join(root, "usr/bin/qemu-system-x86_64"), 0o755);
  if (complete) writeFileSync(join(root, ".complete"), "1:11.1.3+ds-2~bpo13+1\n");
}

describe("which QEMU the real-kernel engine runs", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qemu-choice-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("takes the unpacked QEMU once its unpacking finished, with its own firmware directories", () => {
    unpackedTree(dir, true);
    expect(cachedQemu(dir)).toEqual({
      path: join(dir, "usr/bin/qemu-system-x86_64"),
      dataDirs: [join(dir, "usr/share/qemu"), join(dir, "usr/share/seabios")],
      origin: "1:11.1.3+ds-2~bpo13+1",
    });
  });

  it("ignores a tree whose unpacking did not finish (no .complete marker)", () => {
    unpackedTree(dir, false);
    expect(cachedQemu(dir)).toBeUndefined();
  });

  it("takes PATH's QEMU, with no firmware directories, when REAL_KERNEL_QEMU is system", () => {
    expect(chooseQemu(() => "/usr/bin/qemu-system-x86_64", "system")).toEqual({
      path: "/usr/bin/qemu-system-x86_64",
      dataDirs: [],
      origin: "system",
    });
  });

  it("finds none when REAL_KERNEL_QEMU names a file that is not there", () => {
    expect(chooseQemu(() => "/usr/bin/qemu-system-x86_64", join(dir, "nothing"))).toBeUndefined();
  });

  it("passes each firmware directory to QEMU as -L, before the kernel", () => {
    const tools = {
      qemu: "q",
      qemuDataDirs: ["/a/qemu", "/a/seabios"],
      busybox: "b",
      cpio: "c",
      release: "r",
      vmlinuz: "/boot/v",
      buildDir: "/b",
    };
    const args = qemuArgs({ tools, initramfs: "/i" });
    expect(args.join(" ")).toContain("-L /a/qemu -L /a/seabios -kernel /boot/v");
  });
});
