import { type ChildProcess, spawn } from "node:child_process";
import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";
import type { RealKernelTools } from "./availability.ts";
import { type GuestLine, GuestOutputReader } from "./guestOutput.ts";

export type VmExitReason = "panic" | "poweroff" | "time-limit" | "idle" | "disposed" | "exited";

export type VmOptions = {
  tools: RealKernelTools;
  initramfs: string;
  /** The VM is killed after this long, whatever it is doing. */
  timeoutMs: number;
  onLine: (line: GuestLine) => void;
  onExit: (reason: VmExitReason, detail: string) => void;
};

/**
 * The kernel command line. console=ttyS0: the serial port, which is QEMU's stdio. loglevel=8 with
 * console_msg_format=syslog: every record is printed there, as "<pri>[seconds] text", at the moment
 * it is stored and in the kernel's order, so a panic loses nothing and the log level stays known.
 * printk.devkmsg=on: the init's answers, written to /dev/kmsg, are not rate limited. panic=-1: a
 * panic reboots at once, and -no-reboot turns that into QEMU exiting.
 * An oops alone does not panic (Debian's default panic_on_oops=0): the kernel kills the task that
 * oopsed and runs on, so the log keeps streaming and the learner sees what a broken kernel does next.
 */
const KERNEL_CMDLINE =
  "console=ttyS0 loglevel=8 console_msg_format=syslog printk.time=1 printk.devkmsg=on panic=-1";

/**
 * Software emulation (TCG) unless REAL_KERNEL_ACCEL says otherwise: a /dev/kvm that exists is no
 * proof that KVM works (nested guests without the needed CPU features hang at boot).
 */
function accelerator(): string {
  return process.env.REAL_KERNEL_ACCEL === "kvm" ? "kvm" : "tcg";
}

/**
 * QEMU runs under a small sh that holds fd 3, a pipe whose other end only this process holds: when
 * the Node process dies, however it dies, the read on fd 3 ends and the sh kills QEMU, so no VM
 * outlives the server. stdin is passed on through fd 4, since sh gives a background job /dev/null.
 */
const WATCHDOG =
  'exec 4<&0; "$0" "$@" <&4 4<&- 3<&- & q=$!; exec 4<&-; ' +
  "{ read -r _ <&3; kill -9 $q; } 2>/dev/null & w=$!; wait $q; rc=$?; kill $w 2>/dev/null; exit $rc";

export function qemuArgs(tools: RealKernelTools, initramfs: string): string[] {
  return [
    ["-accel", accelerator()],
    ["-m", "256"],
    ["-smp", "1"],
    // No network device at all: nothing the modules send can leave the VM.
    ["-nic", "none"],
    ["-display", "none"],
    ["-serial", "stdio"],
    ["-monitor", "none"],
    ["-no-reboot"],
    ["-kernel", tools.vmlinuz],
    ["-initrd", initramfs],
    ["-append", KERNEL_CMDLINE],
  ].flat();
}

/** One QEMU guest: its process (in a process group of its own), its console and its time limit. */
export class Vm {
  /** Resolves with the guest's kernel release once its init takes commands. */
  readonly ready: Promise<string>;
  readonly startedAt = Date.now();
  private readonly child: ChildProcess;
  private readonly timer: NodeJS.Timeout;
  private nextId = 1;
  private exited = false;
  private reason: VmExitReason | undefined;
  private sawPanic = false;
  private stderr = "";

  constructor(options: VmOptions) {
    let resolveReady!: (release: string) => void;
    let rejectReady!: (err: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(() => {});
    const reader = new GuestOutputReader((line) => {
      if (line.kind === "ready") resolveReady(line.release);
      if (line.kind === "kmsg" && line.text.startsWith("Kernel panic - not syncing")) this.sawPanic = true;
      options.onLine(line);
    });
    this.child = spawn(
      "sh",
      ["-c", WATCHDOG, options.tools.qemu, ...qemuArgs(options.tools, options.initramfs)],
      {
        detached: true,
        stdio: ["pipe", "pipe", "pipe", "pipe"],
      },
    );
    this.child.stdout?.setEncoding("latin1").on("data", (chunk: string) => reader.push(chunk));
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    // Deliberately empty: a write after QEMU exited fails with EPIPE, and the 'close' handler below
    // already reports the exit; unheard, the error would throw and take the server down.
    this.child.stdin?.on("error", () => {});
    this.child.on("error", (err) => {
      this.stderr += err.message;
    });
    this.child.on("close", (code, signal) => {
      this.exited = true;
      clearTimeout(this.timer);
      reader.flush();
      const reason = this.reason ?? (this.sawPanic ? "panic" : "exited");
      const detail = this.stderr.trim() || (signal ? `signal ${signal}` : `exit code ${code}`);
      rejectReady(new Error(`the VM stopped before its init was ready (${detail})`));
      options.onExit(reason, detail);
    });
    this.timer = setTimeout(() => this.kill("time-limit"), options.timeoutMs);
    this.timer.unref();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Sends one command to the guest's init; returns the id its answer will carry. */
  command(command: "insmod" | "rmmod" | "sync", variant: Variant | "-", module: ModuleName | "-"): number {
    const id = this.nextId++;
    this.child.stdin?.write(`${id} ${command} ${variant} ${module}\n`);
    return id;
  }

  poweroff(): void {
    this.reason ??= "poweroff";
    this.child.stdin?.write(`${this.nextId++} poweroff - -\n`);
  }

  /** Kills QEMU's whole process group; the exit is reported through onExit as usual. */
  kill(reason: VmExitReason = "disposed"): void {
    if (this.exited) return;
    this.reason ??= reason;
    const pid = this.child.pid;
    try {
      if (pid !== undefined) process.kill(-pid, "SIGKILL");
    } catch {
      this.child.kill("SIGKILL");
    }
  }
}
