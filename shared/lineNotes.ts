import type { ModuleName, Variant } from "./steps.ts";

/**
 * Why a line of one listing has no partner in the other: includes, module macros, allocations the
 * other world does not need, Node's event plumbing. Like the steps, a note is found by a text
 * marker that must stand on exactly one line of its source, never by a line number, so an edit to
 * a listing moves its notes with it (or fails the build and the unit test when a marker is lost).
 */
export type LineNoteSpec = {
  readonly marker: string;
  /** The marker must begin its line (after indentation): for a line whose text another line contains. */
  readonly startsLine?: boolean;
  readonly text: string;
};
export type Side = "c" | "ts";
type ModuleNotes = { readonly [S in Side]: readonly LineNoteSpec[] };

const INCLUDES: LineNoteSpec = {
  marker: "#include <linux/in.h>",
  text: "Kernel headers. The TS imports Node's net and the lab's kernel API instead (its import lines).",
};
const MODULE_INIT: LineNoteSpec = {
  marker: "module_init(",
  text: "Registers init: insmod runs it and waits until it returns. The lab's module table does this for the TS, which exports { init, exit }.",
};
const MODULE_EXIT: LineNoteSpec = { marker: "module_exit(", text: "Registers exit, which rmmod runs. The TS exports it as exit." };
const MODULE_LICENSE: LineNoteSpec = {
  marker: "MODULE_LICENSE(",
  text: "No TS partner. A licence that is not GPL-compatible taints the kernel and hides EXPORT_SYMBOL_GPL symbols from the module (kernel/module/main.c, v6.1).",
};

const TS_NODE_IMPORT: LineNoteSpec = {
  marker: 'import type net from "node:net";',
  text: "Node's TCP sockets: what the C takes from <linux/net.h> and <net/sock.h>.",
};
const TS_KERNEL_IMPORT: LineNoteSpec = {
  marker: 'from "../kernelApi.ts";',
  text: "The services a module gets from the kernel (the call gate, printk, threads), as the lab provides them.",
};
const TS_PLUMBING_IMPORT: LineNoteSpec = {
  marker: 'from "../nodeSockets.ts";',
  text: "Node's event plumbing, shaped as kernel calls: each settles with 0 or -errno when Node's event arrives.",
};
const TS_ASYNC = (fn: string): LineNoteSpec => ({
  marker: `async function ${fn}(k: Kernel)`,
  text: "async: where the C sleeps in a blocking call, the TS awaits a Node event, and Node's one thread serves other work meanwhile.",
});
const TS_ADDR: LineNoteSpec = {
  marker: "const s_addr = { host: k.loopback, port: k.port };",
  text: "127.0.0.1 and this session's port (0x8888 unless another lab holds it): the lab never leaves this machine.",
};
const TS_EXPORT = (module: ModuleName): LineNoteSpec => ({
  marker: `export const ${module}Module: LabModule`,
  text: "module_init / module_exit: the lab's module table runs init on insmod and exit on rmmod.",
});
const TS_LEVELS_IMPORT: LineNoteSpec = {
  marker: 'from "../printkLevels.ts";',
  text: "pr_info, pr_warn, pr_err: printk with a KERN_ level, as the C's pr_* macros.",
};
const TS_STATICS: LineNoteSpec = {
  marker: "function statics(k: Kernel)",
  text: "The C's file-scope statics: one object per loaded instance of the module, gone when it is unloaded.",
};
const TS_OUT = (name: string, type: string): LineNoteSpec => ({
  marker: `const ${name} = out<${type}>();`,
  text: "An out-parameter like the C's struct socket **: the call fills .current. Nothing to allocate first.",
});

export const LINE_NOTES: { readonly [V in Variant]: { readonly [M in ModuleName]: ModuleNotes } } = {
  published: {
    server: {
      c: [
        INCLUDES,
        {
          marker: "s_addr.sin_addr.s_addr=htonl(INADDR_ANY);",
          text: "INADDR_ANY listens on every interface. The lab binds 127.0.0.1 only.",
        },
        {
          marker: "sock=(struct socket *)kmalloc(",
          startsLine: true,
          text: "No TS partner: Node allocates its own socket objects. sock_create_kern allocates the struct socket too and overwrites this pointer, so these bytes leak.",
        },
        {
          marker: "client_sock=(struct socket *)kmalloc(",
          text: "No TS partner: libuv accepts into a socket Node creates for the connection.",
        },
        {
          marker: "recvbuf=kmalloc(1024,GFP_KERNEL);",
          text: "The TS buffer is a Uint8Array; Node reads into a Buffer of its own and the lab copies at most 1024 bytes.",
        },
        MODULE_INIT,
        MODULE_EXIT,
        MODULE_LICENSE,
      ],
      ts: [
        TS_NODE_IMPORT,
        TS_KERNEL_IMPORT,
        TS_PLUMBING_IMPORT,
        TS_ASYNC("myserver"),
        TS_OUT("sock", "net.Server"),
        TS_OUT("client_sock", "net.Socket"),
        TS_ADDR,
        TS_EXPORT("server"),
      ],
    },
    client: {
      c: [
        INCLUDES,
        {
          marker: 's_addr.sin_addr.s_addr=in_aton("192.168.209.134");',
          text: "The author's machine. The lab dials its own loopback port instead and never this address.",
        },
        {
          marker: "sock=(struct socket *)kmalloc(",
          startsLine: true,
          text: "No TS partner: Node allocates its own socket objects. sock_create_kern allocates the struct socket too and overwrites this pointer, so these bytes leak.",
        },
        {
          marker: "sendbuf=kmalloc(1024,GFP_KERNEL);",
          text: "The TS buffer is a Uint8Array; socket.write() copies it into Node's queue or the kernel's send buffer.",
        },
        MODULE_INIT,
        MODULE_EXIT,
        MODULE_LICENSE,
      ],
      ts: [
        TS_NODE_IMPORT,
        TS_KERNEL_IMPORT,
        TS_PLUMBING_IMPORT,
        TS_ASYNC("myclient"),
        TS_OUT("sock", "net.Socket"),
        TS_ADDR,
        TS_EXPORT("client"),
      ],
    },
  },
  fixed: {
    server: {
      c: [
        INCLUDES,
        {
          marker: "sock_set_reuseaddr(sock->sk);",
          text: "SO_REUSEADDR. Node needs no such line: libuv sets SO_REUSEADDR itself before every bind() (uv__tcp_bind).",
        },
        {
          marker: "static struct task_struct *accept_task;",
          text: "No TS partner: the lab knows its threads by name (\"ksock_server\"), so there is no task pointer to keep.",
        },
        MODULE_INIT,
        MODULE_EXIT,
        MODULE_LICENSE,
      ],
      ts: [TS_NODE_IMPORT, TS_KERNEL_IMPORT, TS_PLUMBING_IMPORT, TS_LEVELS_IMPORT, TS_STATICS, TS_EXPORT("server")],
    },
    client: {
      c: [INCLUDES, MODULE_INIT, MODULE_EXIT, MODULE_LICENSE],
      ts: [TS_NODE_IMPORT, TS_KERNEL_IMPORT, TS_PLUMBING_IMPORT, TS_LEVELS_IMPORT, TS_STATICS, TS_EXPORT("client")],
    },
  },
};

export class LineNoteError extends Error {}

/** The 1-based lines of `text` that hold the note's marker. */
export function markerLines(text: string, spec: Pick<LineNoteSpec, "marker" | "startsLine">): number[] {
  const found: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (spec.startsLine ? line.trimStart().startsWith(spec.marker) : line.includes(spec.marker)) found.push(index + 1);
  });
  return found;
}

/** line → note text for one source; throws when a marker does not stand on exactly one line. */
export function deriveLineNotes(where: string, text: string, specs: readonly LineNoteSpec[]): Record<number, string> {
  const notes: Record<number, string> = {};
  for (const spec of specs) {
    const lines = markerLines(text, spec);
    if (lines.length !== 1) throw new LineNoteError(`${where}: note marker "${spec.marker}" is on ${lines.length} lines`);
    notes[lines[0] as number] = spec.text;
  }
  return notes;
}

/** The notes of one module's two sources, derived as its step map is: from text, at build time. */
export function moduleLineNotes(variant: Variant, module: ModuleName, cText: string, tsText: string): { [S in Side]: Record<number, string> } {
  const specs = LINE_NOTES[variant][module];
  return {
    c: deriveLineNotes(`${variant} ${module}.c`, cText, specs.c),
    ts: deriveLineNotes(`${variant} ${module}Module.ts`, tsText, specs.ts),
  };
}
