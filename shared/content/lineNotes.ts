import type { Bilingual } from "./bilingual.ts";
import type { ModuleName, Variant } from "../protocol/steps.ts";

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
  readonly text: Bilingual;
};
export type Side = "c" | "ts";
type ModuleNotes = { readonly [S in Side]: readonly LineNoteSpec[] };

const INCLUDES: LineNoteSpec = {
  marker: "#include <linux/in.h>",
  text: {
    en: "Kernel headers. The TS imports Node's net and the lab's kernel API instead (its import lines).",
    zh: "内核头文件。TS 改为导入 Node 的 net 和实验室的内核 API（见其 import 行）。",
  },
};
const MODULE_INIT: LineNoteSpec = {
  marker: "module_init(",
  text: {
    en: "Registers init: insmod runs it and waits until it returns. The lab's module table does this for the TS, which exports { init, exit }.",
    zh: "注册 init：insmod 运行它并等待它返回。对 TS 而言，这由实验室的模块表完成，TS 导出 { init, exit }。",
  },
};
const MODULE_EXIT: LineNoteSpec = {
  marker: "module_exit(",
  text: {
    en: "Registers exit, which rmmod runs. The TS exports it as exit.",
    zh: "注册 exit，由 rmmod 运行。TS 将其导出为 exit。",
  },
};
const MODULE_LICENSE: LineNoteSpec = {
  marker: "MODULE_LICENSE(",
  text: {
    en: "No TS partner. A licence that is not GPL-compatible taints the kernel and hides EXPORT_SYMBOL_GPL symbols from the module (kernel/module/main.c, v6.1).",
    zh: "TS 中没有对应行。与 GPL 不兼容的许可证会污染（taint）内核，并使模块无法使用 EXPORT_SYMBOL_GPL 导出的符号（kernel/module/main.c，v6.1）。",
  },
};

const TS_NODE_IMPORT: LineNoteSpec = {
  // Not the whole import line: scripts/check-boundaries.ts would read it as an import of node:net.
  marker: 'net from "node:net";',
  text: {
    en: "Node's TCP sockets: what the C takes from <linux/net.h> and <net/sock.h>.",
    zh: "Node 的 TCP socket：相当于 C 从 <linux/net.h> 和 <net/sock.h> 取得的内容。",
  },
};
const TS_KERNEL_IMPORT: LineNoteSpec = {
  marker: 'from "../kernelApi.ts";',
  text: {
    en: "The services a module gets from the kernel (the call gate, printk, threads), as the lab provides them.",
    zh: "模块从内核获得的服务（调用关口、printk、线程），由实验室提供。",
  },
};
const TS_PLUMBING_IMPORT: LineNoteSpec = {
  marker: 'from "../nodeSockets.ts";',
  text: {
    en: "Node's event plumbing, shaped as kernel calls: each settles with 0 or -errno when Node's event arrives.",
    zh: "Node 的事件机制，包装成内核调用的样子：Node 的事件到达时，每个调用以 0 或 -errno 结束。",
  },
};
const TS_ASYNC = (fn: string): LineNoteSpec => ({
  marker: `async function ${fn}(k: Kernel)`,
  text: {
    en: "async: where the C sleeps in a blocking call, the TS awaits a Node event, and Node's one thread serves other work meanwhile.",
    zh: "async：C 在阻塞调用中睡眠的地方，TS 等待（await）一个 Node 事件，其间 Node 唯一的线程继续处理其他工作。",
  },
});
const TS_ADDR: LineNoteSpec = {
  marker: "const s_addr = { host: k.loopback, port: k.port };",
  text: {
    en: "127.0.0.1 and this session's port (0x8888 unless another lab holds it): the lab never leaves this machine.",
    zh: "127.0.0.1 和本会话的端口（未被其他实验占用时为 0x8888）：实验从不离开本机。",
  },
};
const TS_EXPORT = (module: ModuleName): LineNoteSpec => ({
  marker: `export const ${module}Module: LabModule`,
  text: {
    en: "module_init / module_exit: the lab's module table runs init on insmod and exit on rmmod.",
    zh: "相当于 module_init / module_exit：实验室的模块表在 insmod 时运行 init，在 rmmod 时运行 exit。",
  },
});
const TS_LEVELS_IMPORT: LineNoteSpec = {
  marker: 'from "../printkLevels.ts";',
  text: {
    en: "pr_info, pr_warn, pr_err: printk with a KERN_ level, as the C's pr_* macros.",
    zh: "pr_info、pr_warn、pr_err：带 KERN_ 级别的 printk，与 C 的 pr_* 宏相同。",
  },
};
const TS_STATICS: LineNoteSpec = {
  marker: "function statics(k: Kernel)",
  text: {
    en: "The C's file-scope statics: one object per loaded instance of the module, gone when it is unloaded.",
    zh: "相当于 C 的文件作用域静态变量：模块每加载一次就有一个这样的对象，卸载后即消失。",
  },
};
const TS_OUT = (name: string, type: string): LineNoteSpec => ({
  marker: `const ${name} = out<${type}>();`,
  text: {
    en: "An out-parameter like the C's struct socket **: the call fills .current. Nothing to allocate first.",
    zh: "输出参数，相当于 C 的 struct socket **：调用会填入 .current，无需事先分配。",
  },
});

export const LINE_NOTES: { readonly [V in Variant]: { readonly [M in ModuleName]: ModuleNotes } } = {
  published: {
    server: {
      c: [
        INCLUDES,
        {
          marker: "s_addr.sin_addr.s_addr=htonl(INADDR_ANY);",
          text: {
            en: "INADDR_ANY listens on every interface. The lab binds 127.0.0.1 only.",
            zh: "INADDR_ANY 在所有网络接口上监听。实验只绑定 127.0.0.1。",
          },
        },
        {
          marker: "sock=(struct socket *)kmalloc(",
          startsLine: true,
          text: {
            en: "No TS partner: Node allocates its own socket objects. sock_create_kern allocates the struct socket too and overwrites this pointer, so these bytes leak.",
            zh: "TS 中没有对应行：Node 自己分配 socket 对象。sock_create_kern 也会自己分配 struct socket 并覆盖这个指针，因此这块内存泄漏了。",
          },
        },
        {
          marker: "client_sock=(struct socket *)kmalloc(",
          text: {
            en: "No TS partner: libuv accepts into a socket Node creates for the connection.",
            zh: "TS 中没有对应行：libuv 接受连接时，Node 会为该连接创建 socket。",
          },
        },
        {
          marker: "recvbuf=kmalloc(1024,GFP_KERNEL);",
          text: {
            en: "The TS buffer is a Uint8Array; Node reads into a Buffer of its own and the lab copies at most 1024 bytes.",
            zh: "TS 的缓冲区是 Uint8Array；Node 读入它自己的 Buffer，实验最多从中复制 1024 字节。",
          },
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
          text: {
            en: "The author's machine. The lab dials its own loopback port instead and never this address.",
            zh: "原作者的机器。实验改为连接本机的回环端口，从不连接这个地址。",
          },
        },
        {
          marker: "sock=(struct socket *)kmalloc(",
          startsLine: true,
          text: {
            en: "No TS partner: Node allocates its own socket objects. sock_create_kern allocates the struct socket too and overwrites this pointer, so these bytes leak.",
            zh: "TS 中没有对应行：Node 自己分配 socket 对象。sock_create_kern 也会自己分配 struct socket 并覆盖这个指针，因此这块内存泄漏了。",
          },
        },
        {
          marker: "sendbuf=kmalloc(1024,GFP_KERNEL);",
          text: {
            en: "The TS buffer is a Uint8Array; socket.write() hands it to libuv, which writes it into the kernel's send buffer, and Node queues it meanwhile if the kernel cannot take it yet.",
            zh: "TS 的缓冲区是 Uint8Array；socket.write() 把它交给 libuv 写入内核的发送缓冲区，内核暂时收不下时 Node 先把它留在队列中。",
          },
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
          text: {
            en: "SO_REUSEADDR. Node needs no such line: libuv sets SO_REUSEADDR itself before every bind() (uv__tcp_bind).",
            zh: "SO_REUSEADDR。Node 不需要这一行：libuv 在每次 bind() 之前自己设置 SO_REUSEADDR（uv__tcp_bind）。",
          },
        },
        {
          marker: "static struct task_struct *accept_task;",
          text: {
            en: 'No TS partner: the lab knows its threads by name ("ksock_server"), so there is no task pointer to keep.',
            zh: 'TS 中没有对应行：实验按名字（"ksock_server"）识别线程，因此无需保存 task 指针。',
          },
        },
        MODULE_INIT,
        MODULE_EXIT,
        MODULE_LICENSE,
      ],
      ts: [
        TS_NODE_IMPORT,
        TS_KERNEL_IMPORT,
        TS_PLUMBING_IMPORT,
        TS_LEVELS_IMPORT,
        TS_STATICS,
        TS_EXPORT("server"),
      ],
    },
    client: {
      c: [INCLUDES, MODULE_INIT, MODULE_EXIT, MODULE_LICENSE],
      ts: [
        TS_NODE_IMPORT,
        TS_KERNEL_IMPORT,
        TS_PLUMBING_IMPORT,
        TS_LEVELS_IMPORT,
        TS_STATICS,
        TS_EXPORT("client"),
      ],
    },
  },
};

export class LineNoteError extends Error {}

/** The 1-based lines of `text` that hold the note's marker. */
export function markerLines(text: string, spec: Pick<LineNoteSpec, "marker" | "startsLine">): number[] {
  const found: number[] = [];
  text.split("\n").forEach((line, index) => {
    if (spec.startsLine ? line.trimStart().startsWith(spec.marker) : line.includes(spec.marker))
      found.push(index + 1);
  });
  return found;
}

/** line → note text for one source; throws when a marker does not stand on exactly one line. */
export function deriveLineNotes(
  where: string,
  text: string,
  specs: readonly LineNoteSpec[],
): Record<number, Bilingual> {
  const notes: Record<number, Bilingual> = {};
  for (const spec of specs) {
    const lines = markerLines(text, spec);
    if (lines.length !== 1)
      throw new LineNoteError(`${where}: note marker "${spec.marker}" is on ${lines.length} lines`);
    notes[lines[0] as number] = spec.text;
  }
  return notes;
}

/** The notes of one module's two sources, derived as its step map is: from text, at build time. */
export function moduleLineNotes(
  variant: Variant,
  module: ModuleName,
  cText: string,
  tsText: string,
): { [S in Side]: Record<number, Bilingual> } {
  const specs = LINE_NOTES[variant][module];
  return {
    c: deriveLineNotes(`${variant} ${module}.c`, cText, specs.c),
    ts: deriveLineNotes(`${variant} ${module}Module.ts`, tsText, specs.ts),
  };
}
