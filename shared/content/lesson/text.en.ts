import type { LessonText } from "./lessonText.ts";

/** The lesson in English. Kernel facts stated here are backed by the sources the step cites. */
export const LESSON_EN: LessonText = {
  "kernel-sockets": {
    title: "Sockets inside the kernel",
    body: [
      "A program opens a network connection with system calls: `socket()`, `connect()`, `send()`. A kernel module cannot make system calls — it already runs inside the kernel, on the far side of that door. Instead it calls the kernel's socket layer directly, through functions that `net/socket.c` exports for kernel code: `sock_create_kern()`, `kernel_bind()`, `kernel_listen()`, `kernel_accept()`, `kernel_connect()`, `kernel_sendmsg()`, `kernel_recvmsg()`, `sock_release()` and a few more.",
      "The shape of the work is the one you know: create, bind, listen and accept on one side; create and connect on the other; then send and receive. The bookkeeping differs. There are no file descriptors: you hold `struct socket *` pointers. Data is described by a `struct msghdr` and `struct kvec` buffers in kernel memory. Every call returns 0 (or a byte count) on success and a negative errno such as `-ECONNREFUSED` on failure; there is no `errno` variable.",
      "Kernel code does this when the service itself lives in the kernel. Two examples in Linux 6.1: SunRPC's server transport, which the in-kernel NFS server runs on, binds, listens and accepts with `kernel_bind()`, `kernel_listen()` and `kernel_accept()` (`net/sunrpc/svcsock.c`); DRBD, which mirrors block devices between machines, opens its connections with `sock_create_kern()` and `kernel_accept()` (`drivers/block/drbd/drbd_receiver.c`).",
      "This lab runs a published pair of teaching modules — a server and a client — for real. Each kernel call is carried out on a real TCP socket on 127.0.0.1 (by Node.js, in the order of the C) and lights its line in the listing; the pane at the bottom is the kernel log as `dmesg` would print it. Press Next (or the → key) to go on: the lesson never moves by itself. A step whose task is done shows a check mark and what really happened, and waits for you.",
      "If the lab is not where a step needs it — a module still loaded from an earlier click, say — the step says so. Reset the lab (in the lesson and in the toolbar) brings it back to the start for real: it unloads what `rmmod` can unload, and a module the kernel would not let go of ends that lab and starts a fresh one on the same port, as a reboot would on a real machine. A state Reset cannot make — the server blocked in accept, say — the step names the button that gets there.",
    ],
  },
  "exported-symbols": {
    title: "Fifteen exported functions, then and now",
    body: [
      "The post this lab follows lists fifteen functions that `net/socket.c` exported for kernel code. The table pairs each with the system call it stands for and the Node.js call the lab makes in its place, and says what became of it.",
      "Several changed, so a module written for an old kernel may not build against a current one: `sock_create_kern()` gained a `struct net *` first argument, `kernel_getsockname()` and `kernel_getpeername()` lost their length pointer, and `kernel_setsockopt()`, `kernel_getsockopt()`, `kernel_sendpage()` and `kernel_sock_ioctl()` are gone; in 6.19 `kernel_bind()` and `kernel_connect()` changed their address type too. Each row names the release that made the change, read in the source of the release before it and of the release that has it, and the commit.",
    ],
  },
  "server-setup": {
    title: "The server, part 1: before the first call",
    body: [
      "`server_init()` is the function `module_init()` registers, so it runs inside `insmod`. It prints `server init:` and returns whatever `myserver()` returns — keep that in mind.",
      "`myserver()` declares two `struct socket *`, one for the listening socket and one for the connection it will accept, and fills a `struct sockaddr_in`: family `AF_INET`, port `0x8888` (34952) put in network byte order by `htons()`, address `INADDR_ANY` — every local address. The lab binds 127.0.0.1 instead, so nothing outside this machine can reach it.",
      "Then it `kmalloc`s a `struct socket` for each pointer. Neither allocation is needed, and both are wrong. A kernel socket is not plain memory: `sock_alloc()` places it beside an inode of the socket filesystem, and `sock_release()` frees it through that inode. `sock_create_kern()` allocates its own socket and overwrites `sock`, so the first block simply leaks; the second is handed to accept as if it were a real socket (the last step comes back to it).",
    ],
  },
  "server-walkthrough": {
    title: "The server, part 2: create, bind, listen, accept",
    body: [
      "`sock_create_kern(AF_INET, SOCK_STREAM, 0, &sock)` creates a TCP socket owned by the kernel. This is the old signature: since Linux 4.2 the call takes the network namespace first — `sock_create_kern(&init_net, AF_INET, SOCK_STREAM, 0, &sock)` — so this line no longer compiles.",
      "`sock->ops->bind`, `->listen` and `->accept` call the protocol's operations directly. `kernel_bind()` and `kernel_listen()` are thin wrappers around the same operations and the usual way to write them. Listen's `10` is the backlog: how many finished connections may wait for accept.",
      "Accept blocks until a client connects. It blocks inside `server_init()`, so `insmod` itself does not return.",
      "In the lab, Node's `server.listen()` does socket, bind and listen in one libuv call: the bind step makes that call and the listen step reports its outcome.",
    ],
    task: "Start the server now: press Start server. Watch each call light up and the server stop at accept.",
  },
  "insmod-blocks": {
    title: "insmod is still running",
    body: [
      "The server's state reads “running — blocked in accept”. In a real kernel, `insmod` asks the kernel to load the module (`finit_module()`), and the kernel runs the module's init in that same process: `insmod` returns only when init returns. Init is waiting in accept, so the shell that typed `insmod` waits too.",
      "While init runs, the module is not live yet, and the loader holds a reference to it until init returns. Which words you see depends on the tool. Debian's `rmmod` (kmod) reads that reference count first and refuses without asking the kernel: “rmmod: ERROR: Module server is in use” — the lab prints the same. Asked anyway, `delete_module()` refuses too, with EBUSY, because the module is not live; BusyBox's `rmmod`, which the Real kernel mode runs, shows that: “rmmod: can't unload module 'server': Device or resource busy”.",
      "So a server that accepts in its init cannot be unloaded until a client comes along. The last step shows the usual cure: accept in a kernel thread.",
    ],
    task: "Try to unload it: press Stop server, then read the answer in the log.",
  },
  "client-walkthrough": {
    title: "The client module",
    body: [
      "The client starts like the server: the same useless `kmalloc`, the same `sock_create_kern()` with the old signature, and a `struct sockaddr_in` for port 0x8888. Its address, 192.168.209.134, was the author's server machine; `in_aton()` turns the dotted text into an address. In the lab that address is only text: the client dials the lab's own port on 127.0.0.1.",
      "`sock->ops->connect(sock, addr, len, 0)` performs the TCP handshake; flags 0 means it blocks until the handshake ends. `kernel_connect()` is the wrapper for it.",
      "Then it fills 1024 bytes with `0x01` and sends them with `kernel_sendmsg()`: one `struct kvec` points at the buffer, and the `struct msghdr` stays empty because a connected socket needs no address.",
      "Note what is missing: the client never calls `sock_release()` and never frees its buffer. Its socket stays open after init returns; `client_exit()` only prints.",
    ],
  },
  "run-both": {
    title: "Run both",
    body: [
      "Start the client while the server waits in accept, and watch both listings: the client's connect returns, the server's accept returns, 1024 bytes go out with `kernel_sendmsg()` and come in with `kernel_recvmsg()`, then the server releases both sockets and its init returns.",
      "Under the hood: libuv (Node's I/O library) accepts a connection as soon as the kernel queues it, and the lab holds it until the server's accept step. The accepted socket starts paused, so the client's bytes wait in the kernel's receive queue until recvmsg reads them.",
      "The bytes are `0x01`, a control character a terminal would swallow, so the log pane shows them in caret notation, `^A`. Reading `/dev/kmsg`, a real system shows them escaped as `\\x01`.",
    ],
    task: "Start the client now: press Start client.",
  },
  "init-return": {
    title: "What init returned",
    body: [
      "Both modules are loaded, but read the log: the kernel complains that each init “suspiciously returned 1024”. `myserver()` returns the byte count of `kernel_recvmsg()`, `myclient()` that of `kernel_sendmsg()`, and both inits pass it on.",
      "An init function speaks the 0/-errno convention: 0 means loaded; a negative errno means failed — the kernel then unloads the module and `insmod` prints the error. A positive value is neither: `do_init_module()` loads the module anyway, with a warning. Up to Linux 7.0 (this lab's 6.1 included) the warning is two lines and a stack dump; from 7.1 it is one line naming the module, “client: init suspiciously returned 1024, it should follow 0/-E convention”, and no stack dump.",
      "Now unload them. `server_exit()` prints `good bye` and `client_exit()` prints `client exit!`, and that is all they do. The server released its sockets before its init returned; the client never releases its socket, so in a real kernel nothing ever frees it (the lab closes it when your session ends).",
    ],
    task: "Stop both modules: press Stop server and Stop client.",
  },
  "client-first": {
    title: "Experiment: a client with no server",
    body: [
      "With no server loaded, nothing listens on the port. The client's SYN is answered with a reset, and the kernel turns a reset received while connecting into ECONNREFUSED: connect returns -111.",
      "The client prints `client:connect error!` and returns -111 from init. Here the 0/-errno convention works as intended: `insmod` fails with “Connection refused” and the module is not loaded. The connect line turns red.",
    ],
    task: "With the server not loaded, press Start client.",
  },
  "port-busy": {
    title: "Experiment: the port is taken",
    body: [
      "While another socket holds the server's address and port, bind fails with EADDRINUSE (-98), “Address already in use”.",
      "Your lab's port is {{port}} (shown in the header). Press Occupy port {{port}} (beside Reset the lab): the lab server opens a listening socket of its own on 127.0.0.1:{{port}}, one that belongs to no module — to the kernel it is another program holding the port. Then start the server. The error is the kernel's own, and shows at the bind step, where libuv's combined call fails.",
      "The published server returns -98 from init, so `insmod` fails. It also leaks on this path: the socket created a line earlier is never released.",
      "When you are done, press Free port {{port}} (the lab frees it anyway when your session ends). If you run the lab on your own machine, a terminal does the same: `nc -l 127.0.0.1 {{port}}` (OpenBSD netcat) or `python3 -m http.server --bind 127.0.0.1 {{port}}`, stopped with Ctrl-C.",
    ],
    task: "Press Occupy port {{port}}, then press Start server.",
  },
  "step-mode": {
    title: "Experiment: connect before accept",
    body: [
      "Does the client's connect need the server's accept? Find out by pausing the kernel between calls. With Step mode on, each kernel call of each module waits for you: the Step button runs the next call, Continue runs that module to its end.",
      "Halt the server right after listen — paused before accept — then start the client and step it through connect. The state lines say where each side is. (If you took the port in the last step, press Free port {{port}} first.)",
      "At the calls whose outcome is a step's point, the lesson asks first what the call will return: in this step at bind and at connect, in the next at accept, recvmsg and what the published init returns. Pick an answer: it is locked in, the real call runs, and the real result appears beside your guess, with why. Your guess decides nothing; the Step button skips the question.",
    ],
    task: "Turn on Step mode. Press Start server, then Step server three times (sock_create_kern, bind, listen) until it reads “paused before accept”. Then press Start client and Step client once (sock_create_kern). Before connect runs, say what it will return: your answer runs it.",
  },
  "accept-queue": {
    title: "The kernel finished the handshake",
    body: [
      "connect returned 0, and the server has not called accept. The kernel's TCP stack completes the three-way handshake by itself as soon as a socket listens; the finished connection waits in the listener's accept queue (up to the backlog, 10 here), and accept only takes it from there.",
      "So the client can even send: its 1024 bytes go into the receive queue of the server-side socket and wait for recvmsg.",
      "One honest caveat about the lab: libuv accepts queued connections on its own as soon as they arrive, so the Node process has already called accept(2). The lab keeps that connection in a queue of its own and hands it over only at the server's accept step — what you see is the order of the C, on a real connection.",
    ],
    task: "Press Continue client. Then answer the server's questions, or press Step server, one call at a time (accept, kernel_recvmsg, the two sock_release) until the server reads “loaded”. Turn Step mode off afterwards.",
  },
  timeline: {
    title: "Go back in time",
    body: [
      "Every event of this session is recorded: each call entering and returning, each printk, each shell line. The Timeline lists them; pick one, or drag its slider, to see the listings and the log as they were at that moment.",
      "Looking back undoes nothing. The sockets stay where they are now, and Start and Stop still act on the live lab — a banner says so while you look at the past.",
    ],
    task: "Pick the event where the client's connect returned, look at server.c, then press Go to live.",
  },
  "real-module": {
    title: "What a real module does differently",
    body: [
      "The published pair shows the calls; a module you would load on a real machine changes these things:",
      [
        "Return from init quickly. Accept in a kernel thread started with `kthread_run()`: init returns 0, `insmod` returns, and exit can stop the thread. A thread blocked in accept does not wake for `kthread_stop()` alone; shut the listener down with `kernel_sock_shutdown()` first, and accept returns -EINVAL.",
        "Accept with `kernel_accept(sock, &newsock, 0)`. It allocates the new socket itself (with `sock_create_lite()`) and sets its operations. Never `kmalloc` a `struct socket`.",
        "Call today's signatures: `sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock)`, `kernel_bind()`, `kernel_listen()`, `kernel_connect()`.",
        "Release every socket with `sock_release()` and free every buffer with `kfree()` on every path, error paths included.",
        "Mind sizes: `sizeof(recvbuf)` is the size of a pointer (8 bytes on x86-64), not of the buffer; and printing 1024 received bytes with `%s` reads past the buffer, because nothing NUL-terminates it. Allocate one spare byte, or print with `%.*s`.",
        "Give each message a level: `pr_info()` is `printk(KERN_INFO …)`, `pr_err()` is `printk(KERN_ERR …)`. A printk without a level gets the default message level, CONFIG_MESSAGE_LOGLEVEL_DEFAULT (4, KERN_WARNING, unless the kernel was configured otherwise).",
        "Return 0 or -errno from init, never a byte count.",
      ],
      "The lab also keeps fixed versions of both listings that do all of this; they compile without warnings against Debian 12's Linux 6.1 headers. That is the end of the lesson — the lab stays yours to experiment with.",
    ],
  },
};
