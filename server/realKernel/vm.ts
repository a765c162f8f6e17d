import type { VmStopReason } from "../../shared/protocol/engineMessages.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";
import type { RealKernelTools } from "./availability.ts";
import { CallTracerChannel } from "./callTracer/callTracerChannel.ts";
import { CommandChannel } from "./commandChannel.ts";
import { trace } from "./gdb/stepTrace.ts";
import { type GuestLine, GuestOutputReader } from "./guestOutput.ts";

/** What the init takes, word for word (see guestInit.ts). */
export type GuestCommand =
  | ["insmod", Variant | "learner", ModuleName]
  /** The learner's build of a module: its stripped .ko, gzipped, in base64 (learnerModule.ts). */
  | ["put", ModuleName, string]
  | ["rmmod", "-", ModuleName]
  | ["sync", "-", "-"]
  | ["syms", "-", "-"]
  | ["tcp", "-", "-"]
  | ["flood", number, number]
  | ["poweroff", "-", "-"];

/** The protocol's stop reasons are the VM's own: the page words each by its code. */
export type VmExitReason = VmStopReason;

export type VmOptions = {
  tools: RealKernelTools;
  initramfs: string;
  /** The VM is killed after this long, whatever it is doing. */
  timeoutMs: number;
  onLine: (line: GuestLine) => void;
  onExit: (reason: VmExitReason, detail: string) => void;
  /** The call-tracer plugin to load into QEMU (callTracerPlugin.ts); unset, calls are traced through the gdbstub alone. */
  callTracer?: string;
};

/**
 * The kernel command line. console=ttyS0: the serial port, which is QEMU's stdio. loglevel=8 with
 * console_msg_format=syslog: every record is printed there, as "<pri>[seconds] text", at the moment
 * it is stored and in the kernel's order, so a panic loses nothing and the log level stays known.
 * printk.devkmsg=on: the init's answers, written to /dev/kmsg, are not rate limited. panic=-1: a
 * panic reboots at once, and -no-reboot turns that into QEMU exiting. nokaslr: the kernel's symbols
 * sit where /proc/kallsyms says for the VM's whole life, so the step-mode breakpoints stay right.
 * An oops alone does not panic (Debian's default panic_on_oops=0): the kernel kills the task that
 * oopsed and runs on, so the log keeps streaming and the learner sees what a broken kernel does next.
 * tsc=reliable: on a loaded host the vCPU thread is descheduled for long stretches, the clocksource
 * watchdog then sees the TSC skew against the HPET and marks it unstable ("Marking clocksource 'tsc' as
 * unstable"); sched_clock falls back to a clamped tick clock and distinct printk records get the same
 * timestamp, which the console reader (guestOutput.ts) would take for the lines of one record. QEMU's
 * TSC follows the host's monotonic clock, so it is reliable here; the flag keeps the watchdog off it.
 */
const KERNEL_CMDLINE =
  "console=ttyS0 loglevel=8 console_msg_format=syslog printk.time=1 printk.devkmsg=on panic=-1 nokaslr tsc=reliable";

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
 * outlives the server. stdin is passed on through fd 5, since sh gives a background job /dev/null;
 * fd 4, the command port's socket, goes to QEMU alone (the sh closes its copy, so the port's end
 * closes when QEMU ends).
 */
const WATCHDOG =
  'exec 5<&0; "$0" "$@" <&5 5<&- 3<&- & q=$!; exec 5<&- 4<&- 6<&-; ' +
  "{ read -r _ <&3; kill -9 $q; } 2>/dev/null & w=$!; wait $q; rc=$?; kill $w 2>/dev/null; exit $rc";

/** The child's fd of the command port: a connected stream socket (Node makes its stdio pipes socketpairs). */
const COMMAND_FD = 4;
/** The child's fd of the call tracer's socket (callTracerChannel.ts), when the plugin is loaded. */
const CALL_TRACER_FD = 6;

/** QEMU's arguments that load the call tracer, talking on CALL_TRACER_FD. */
export function callTracerArgs(plugin: string): string[][] {
  return [["-plugin", `${plugin},fd=${CALL_TRACER_FD}`]];
}

export type QemuParts = {
  tools: RealKernelTools;
  initramfs: string;
  /** Guest memory in MiB. */
  memoryMiB?: number;
};

/**
 * QEMU's arguments, one group per concern, so another helper (a gdb stub, a different machine) adds
 * its own group without touching these. ttyS0 (QEMU's stdio) is the kernel's console, read by
 * GuestOutputReader; ttyS1 is the init's command port (a socket QEMU inherits as fd 4).
 */
export function qemuArgs(parts: QemuParts, extra: string[][] = []): string[] {
  return [
    ["-accel", accelerator()],
    ["-m", String(parts.memoryMiB ?? VM_MEMORY_MIB)],
    ["-smp", "1"],
    // No network device at all: nothing the modules send can leave the VM.
    ["-nic", "none"],
    ["-display", "none"],
    ["-serial", "stdio"],
    ["-chardev", `socket,id=cmd,fd=${COMMAND_FD}`],
    ["-serial", "chardev:cmd"],
    ["-monitor", "none"],
    ["-no-reboot"],
    // The QEMU unpacked into the lab's cache finds its firmware there (qemuBinary.ts).
    ...(parts.tools.qemuDataDirs ?? []).map((dir) => ["-L", dir]),
    ["-kernel", parts.tools.vmlinuz],
    ["-initrd", parts.initramfs],
    ["-append", KERNEL_CMDLINE],
    ...extra,
  ].flat();
}

/**
 * Guest memory: REAL_KERNEL_VM_MEMORY_MIB, or 128 MiB. Measured: 96 MiB boots and runs both pairs,
 * 64 MiB does not reach the init; QEMU's resident size barely follows (about 210–225 MiB at 96, 128
 * or 256 under TCG: the guest touches little of its RAM, QEMU and its translation cache the rest),
 * so 128 keeps a margin and bounds what a guest that did touch all of it could take.
 */
export const VM_MEMORY_MIB = Number(process.env.REAL_KERNEL_VM_MEMORY_MIB) || 128;

/**
 * QEMU's gdbstub for step mode, on a UNIX socket in a directory only this user can enter (mkdtemp
 * makes it 0700), never on a TCP port. wait=off: the guest boots at once; the stepper attaches when
 * the learner turns step mode on.
 */
export function gdbstubArgs(socketPath: string): string[][] {
  return [
    ["-chardev", `socket,path=${socketPath},server=on,wait=off,id=gdb0`],
    ["-gdb", "chardev:gdb0"],
  ];
}

/** One QEMU guest: its process (in a process group of its own), its console and its time limit. */
export class Vm {
  /** Resolves with the guest's kernel release once its init reads its command port. */
  readonly ready: Promise<string>;
  readonly startedAt = Date.now();
  /** QEMU's gdbstub (step mode): a UNIX socket in a private directory, removed when QEMU ends. */
  readonly gdbSocket: string;
  private readonly privateDir: string;
  private readonly child: ChildProcess;
  private readonly timer: NodeJS.Timeout;
  private nextId = 1;
  private exited = false;
  private reason: VmExitReason | undefined;
  private sawPanic = false;
  private stderr = "";
  private readonly channel: CommandChannel;
  /** The call tracer in this VM's QEMU, when it was loaded. */
  readonly callTracer: CallTracerChannel | undefined;

  constructor(options: VmOptions) {
    let rejectReady!: (err: Error) => void;
    const stopped = new Promise<never>((_resolve, reject) => {
      rejectReady = reject;
    });
    const reader = new GuestOutputReader((line) => {
      if (line.kind === "kmsg" && line.text.startsWith("Kernel panic - not syncing")) this.sawPanic = true;
      options.onLine(line);
    });
    this.privateDir = mkdtempSync(join(tmpdir(), "ksl-vm-"));
    this.gdbSocket = join(this.privateDir, "gdb.sock");
    this.child = spawn(
      "sh",
      [
        "-c",
        WATCHDOG,
        options.tools.qemu,
        ...qemuArgs({ tools: options.tools, initramfs: options.initramfs }, [
          ...gdbstubArgs(this.gdbSocket),
          ...(options.callTracer ? callTracerArgs(options.callTracer) : []),
        ]),
      ],
      {
        detached: true,
        // fd 5 is the sh's copy of stdin; fd 6 the call tracer's socket, when it is loaded.
        stdio: [
          "pipe",
          "pipe",
          "pipe",
          "pipe",
          "pipe",
          ...(options.callTracer ? ["ignore", "pipe"] : []),
        ] as ("pipe" | "ignore")[],
      },
    );
    this.callTracer = options.callTracer
      ? new CallTracerChannel((this.child.stdio as unknown[])[CALL_TRACER_FD] as Duplex)
      : undefined;
    const port = this.child.stdio[COMMAND_FD] as Duplex;
    // Besides its acknowledgements the init answers there a command it does not take, and the TCP table.
    this.channel = new CommandChannel(port, options.onLine);
    this.ready = Promise.race([this.channel.ready, stopped]);
    this.ready.catch(() => {});
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
      this.channel.close();
      this.callTracer?.close();
      rmSync(this.privateDir, { recursive: true, force: true });
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

  /**
   * Queues one command for the guest's init (written once the init is ready and has acknowledged
   * every earlier one); returns the id its answer, "@@ <id> rc=…" in the kernel log, will carry.
   */
  command(command: GuestCommand): number {
    const id = this.nextId++;
    trace(`command ${id} ${command.join(" ")}`);
    this.channel.send({ id, text: command.join(" ") });
    return id;
  }

  /** Commands not yet acknowledged by the init. */
  get commandsPending(): number {
    return this.channel.pending;
  }

  /** Lines the channel wrote again (a nak or a lost acknowledgement). */
  get commandsResent(): number {
    return this.channel.resent;
  }

  poweroff(): void {
    this.reason ??= "poweroff";
    this.command(["poweroff", "-", "-"]);
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
