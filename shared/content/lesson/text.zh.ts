import type { LessonText } from "./lessonText.ts";

/** 课程的简体中文版本。文中的内核事实均有该步骤所列的出处支持。 */
export const LESSON_ZH: LessonText = {
  "kernel-sockets": {
    title: "内核里的 socket",
    body: [
      "用户程序通过系统调用建立网络连接：`socket()`、`connect()`、`send()`。内核模块不能发起系统调用——它本来就运行在内核里，在这道门的另一侧。它直接调用内核的 socket 层，使用 `net/socket.c` 为内核代码导出的函数：`sock_create_kern()`、`kernel_bind()`、`kernel_listen()`、`kernel_accept()`、`kernel_connect()`、`kernel_sendmsg()`、`kernel_recvmsg()`、`sock_release()` 等。",
      "流程和用户态一样：一端创建、绑定、监听、接受连接；另一端创建、连接；然后收发数据。不同的是细节：没有文件描述符，手里拿的是 `struct socket *` 指针；数据由 `struct msghdr` 和指向内核内存的 `struct kvec` 描述；每个函数成功时返回 0（或字节数），失败时返回负的错误码，例如 `-ECONNREFUSED`，没有 `errno` 变量。",
      "当服务本身就在内核里时，内核代码会这样做。Linux 6.1 中的两个例子：内核 NFS 服务器所依赖的 SunRPC 服务端传输层用 `kernel_bind()`、`kernel_listen()`、`kernel_accept()` 绑定、监听并接受连接（`net/sunrpc/svcsock.c`）；在机器之间镜像块设备的 DRBD 用 `sock_create_kern()` 和 `kernel_accept()` 建立连接（`drivers/block/drbd/drbd_receiver.c`）。",
      "本实验真实地运行一对公开发表的教学模块——服务器和客户端。每个内核调用都在 127.0.0.1 上的真实 TCP socket 上执行（由 Node.js 按 C 代码的顺序完成），并点亮代码清单中对应的行；底部窗格是 `dmesg` 所显示的内核日志。按“下一步”（或 → 键）继续：课程从不自己往前走。任务完成的步骤会显示一个对勾和实际发生的结果，然后等你。",
      "如果实验不在某一步所需的状态——比如之前点过的模块还加载着——这一步会告诉你。“重置实验”（课程里和工具栏里都有）会真实地把实验带回起点：`rmmod` 能卸载的都卸载掉；内核不肯放手的模块则会让这个实验结束，并在同一端口上启动一个新的实验，就像真实机器上需要重启一样。“重置实验”做不到的状态——比如服务器阻塞在 accept 中——这一步会告诉你该按哪个按钮。",
    ],
  },
  "exported-symbols": {
    title: "十五个导出函数：当年与现在",
    body: [
      "本实验所依据的文章列出了 `net/socket.c` 为内核代码导出的十五个函数。下表给出每个函数对应的系统调用、实验中代替它的 Node.js 调用，以及它后来的变化。",
      "其中好几个已经改变，为旧内核写的模块在新内核上可能无法编译：`sock_create_kern()` 新增了第一个参数 `struct net *`，`kernel_getsockname()` 和 `kernel_getpeername()` 去掉了长度指针，`kernel_setsockopt()`、`kernel_getsockopt()`、`kernel_sendpage()` 和 `kernel_sock_ioctl()` 已被移除；6.19 中 `kernel_bind()` 和 `kernel_connect()` 也改变了地址参数的类型。每一行都注明做出改变的版本（在该版本及其前一版本的源码中核对过）以及对应的提交。",
    ],
  },
  "server-setup": {
    title: "服务器（一）：第一个调用之前",
    body: [
      "`server_init()` 是 `module_init()` 注册的函数，所以它在 `insmod` 中运行。它打印 `server init:`，然后返回 `myserver()` 的返回值——请记住这一点。",
      "`myserver()` 声明了两个 `struct socket *`：一个用于监听，一个用于将要接受的连接；并填好 `struct sockaddr_in`：地址族 `AF_INET`，端口 `0x8888`（34952）经 `htons()` 转为网络字节序，地址 `INADDR_ANY` 即本机所有地址。本实验改为绑定 127.0.0.1，所以本机以外的任何人都连不上。",
      "接着它为每个指针 `kmalloc` 了一个 `struct socket`。这两次分配都没有必要，而且都是错的。内核 socket 不是普通内存：`sock_alloc()` 把它放在 socket 文件系统的一个 inode 旁边，`sock_release()` 也通过这个 inode 释放它。`sock_create_kern()` 会自己分配 socket 并覆盖 `sock`，于是第一块内存就此泄漏；第二块则被当作真正的 socket 交给 accept（最后一步会再谈到它）。",
    ],
  },
  "server-walkthrough": {
    title: "服务器（二）：创建、绑定、监听、接受",
    body: [
      "`sock_create_kern(AF_INET, SOCK_STREAM, 0, &sock)` 创建一个属于内核的 TCP socket。这是旧的签名：从 Linux 4.2 起，第一个参数是网络命名空间——`sock_create_kern(&init_net, AF_INET, SOCK_STREAM, 0, &sock)`——所以这一行已无法编译。",
      "`sock->ops->bind`、`->listen` 和 `->accept` 直接调用协议的操作函数。`kernel_bind()` 和 `kernel_listen()` 只是对同样操作的薄封装，是通常的写法。listen 的参数 `10` 是 backlog：最多可以有多少个已完成的连接等待 accept。",
      "accept 会一直阻塞，直到有客户端连接。它阻塞在 `server_init()` 里面，所以 `insmod` 本身也不会返回。",
      "在实验中，Node 的 `server.listen()` 用一次 libuv 调用完成 socket、bind 和 listen：bind 这一步发出这次调用，listen 这一步报告它的结果。",
    ],
    task: "现在启动服务器：点击“启动服务器”。观察每个调用依次点亮，服务器停在 accept。",
  },
  "insmod-blocks": {
    title: "insmod 还在运行",
    body: [
      "服务器的状态显示“运行中 — 阻塞在 accept”。在真实内核中，`insmod` 请求内核加载模块（`finit_module()`），内核在同一个进程里运行模块的 init：只有 init 返回，`insmod` 才会返回。init 正在 accept 中等待，所以输入 `insmod` 的那个 shell 也在等待。",
      "init 运行期间模块还不是“存活”（LIVE）状态，而且加载器在 init 返回之前一直持有它的一个引用。你看到的措辞取决于所用的工具。Debian 的 `rmmod`（kmod）先读取这个引用计数，不询问内核就直接拒绝：“rmmod: ERROR: Module server is in use”——本实验打印的也是这句。即使照样去问，`delete_module()` 也会拒绝，返回 EBUSY，因为模块还不是存活状态；“真实内核”模式运行的 BusyBox `rmmod` 显示的就是这个结果：“rmmod: can't unload module 'server': Device or resource busy”。",
      "所以，在 init 里 accept 的服务器，在有客户端连上之前无法卸载。最后一步会介绍通常的解决办法：在内核线程里 accept。",
    ],
    task: "试着卸载它：点击“停止服务器”，然后看日志里的回答。",
  },
  "client-walkthrough": {
    title: "客户端模块",
    body: [
      "客户端的开头和服务器一样：同样多余的 `kmalloc`，同样是旧签名的 `sock_create_kern()`，以及端口为 0x8888 的 `struct sockaddr_in`。地址 192.168.209.134 是原作者的服务器；`in_aton()` 把点分十进制文本转换为地址。在本实验中这个地址只是文本：客户端连接的是实验自己在 127.0.0.1 上的端口。",
      "`sock->ops->connect(sock, addr, len, 0)` 完成 TCP 握手；flags 为 0 表示阻塞直到握手结束。对应的封装函数是 `kernel_connect()`。",
      "然后它用 `0x01` 填满 1024 字节，并用 `kernel_sendmsg()` 发送：一个 `struct kvec` 指向缓冲区，`struct msghdr` 保持为空，因为已连接的 socket 不需要地址。",
      "注意缺少了什么：客户端从不调用 `sock_release()`，也从不释放缓冲区。init 返回后它的 socket 仍然打开；`client_exit()` 只是打印一行。",
    ],
  },
  "run-both": {
    title: "两个模块一起运行",
    body: [
      "在服务器等待 accept 时启动客户端，并观察两份代码清单：客户端的 connect 返回，服务器的 accept 返回，1024 字节经 `kernel_sendmsg()` 发出、经 `kernel_recvmsg()` 收到，然后服务器释放两个 socket，它的 init 返回。",
      "幕后：libuv（Node 的 I/O 库）在内核把连接放入队列后立即接受它，本实验把它保留到服务器的 accept 步骤再交出。被接受的 socket 起初处于暂停状态，所以客户端的字节留在内核的接收队列里，直到 recvmsg 读取。",
      "这些字节是 `0x01`，一个会被终端吞掉的控制字符，所以日志窗格用脱字符表示法显示为 `^A`。在真实系统中读取 `/dev/kmsg`，它们会被转义为 `\\x01`。",
    ],
    task: "现在启动客户端：点击“启动客户端”。",
  },
  "init-return": {
    title: "init 返回了什么",
    body: [
      "两个模块都已加载，但请看日志：内核抱怨每个 init 都“suspiciously returned 1024”（可疑地返回了 1024）。`myserver()` 返回 `kernel_recvmsg()` 的字节数，`myclient()` 返回 `kernel_sendmsg()` 的字节数，两个 init 都原样返回。",
      "init 函数遵循 0/-errno 约定：0 表示加载成功；负的错误码表示失败——内核随即卸载模块，`insmod` 打印错误。正值两者都不是：`do_init_module()` 仍然加载模块，并打印一条警告。直到 Linux 7.0（包括本实验的 6.1），这条警告是两行文字加一段调用栈；从 7.1 起只有一行，带模块名：“client: init suspiciously returned 1024, it should follow 0/-E convention”，不再打印调用栈。",
      "现在卸载它们。`server_exit()` 打印 `good bye`，`client_exit()` 打印 `client exit!`，除此之外什么也不做。服务器在 init 返回前已经释放了自己的 socket；客户端从不释放它的 socket，所以在真实内核中没有任何代码会释放它（本实验在你的会话结束时关闭它）。",
    ],
    task: "停止两个模块：点击“停止服务器”和“停止客户端”。",
  },
  "client-first": {
    title: "实验：没有服务器的客户端",
    body: [
      "没有加载服务器时，没有谁在该端口上监听。客户端的 SYN 得到的回答是复位（RST），内核把连接过程中收到的复位转换为 ECONNREFUSED：connect 返回 -111。",
      "客户端打印 `client:connect error!`，init 返回 -111。这正是 0/-errno 约定的本意：`insmod` 以“Connection refused”失败，模块没有被加载。connect 这一行变红。",
    ],
    task: "在服务器未加载的情况下，点击“启动客户端”。",
  },
  "port-busy": {
    title: "实验：端口被占用",
    body: [
      "当另一个 socket 占着服务器的地址和端口时，bind 以 EADDRINUSE（-98，“Address already in use”）失败。",
      "你的实验端口是 {{port}}（显示在页头）。点击“重置实验”旁边的“占用端口 {{port}}”：实验服务器会在 127.0.0.1:{{port}} 上打开一个自己的监听套接字，它不属于任何模块——对内核来说，就是另一个程序占着这个端口。然后启动服务器。错误是内核自己给出的，出现在 bind 步骤，即 libuv 的合并调用失败之处。",
      "公开发表的服务器从 init 返回 -98，所以 `insmod` 失败。这条路径上它还会泄漏：上一行创建的 socket 从未被释放。",
      "做完后点击“释放端口 {{port}}”（你的会话结束时，实验也会自动释放它）。如果实验运行在你自己的机器上，用终端也能做到同样的事：`nc -l 127.0.0.1 {{port}}`（OpenBSD netcat）或 `python3 -m http.server --bind 127.0.0.1 {{port}}`，用 Ctrl-C 停止。",
    ],
    task: "点击“占用端口 {{port}}”，然后点击“启动服务器”。",
  },
  "step-mode": {
    title: "实验：accept 之前的 connect",
    body: [
      "客户端的 connect 需要服务器先 accept 吗？在调用之间暂停内核就能知道。打开单步模式后，每个模块的每个内核调用都会等你：“单步”按钮执行下一个调用，“继续”让该模块一直运行到结束。",
      "让服务器停在 listen 之后——即 accept 之前——然后启动客户端，单步执行到 connect。状态行会如实显示双方各停在哪里。（如果上一步占用了端口，请先点击“释放端口 {{port}}”。）",
      "在那些结果正是某一步要点的调用处，课程会先问你这个调用会返回什么：这一步问 bind 和 connect，下一步问 accept、recvmsg 以及原版 init 返回的值。选一个答案：它会被锁定，真实的调用随即执行，真实结果显示在你的猜测旁边，并附上原因。你的猜测不决定任何事；直接点“单步”按钮可以跳过提问。",
    ],
    task: "打开单步模式。点击“启动服务器”，再点击“单步执行服务器”三次（sock_create_kern、bind、listen），直到显示“暂停在 accept 之前”。然后点击“启动客户端”，再点击“单步执行客户端”一次（sock_create_kern）。connect 执行之前，先说出它会返回什么：你的回答会让它执行。",
  },
  "accept-queue": {
    title: "握手由内核完成",
    body: [
      "connect 返回了 0，而服务器还没有调用 accept。只要 socket 处于监听状态，内核的 TCP 协议栈就会自己完成三次握手；完成的连接在监听 socket 的全连接（accept）队列中等待（最多 backlog 个，这里是 10），accept 只是从队列里取出它。",
      "所以客户端甚至可以发送：它的 1024 字节进入服务器端 socket 的接收队列，等待 recvmsg。",
      "关于本实验要说明一点：libuv 会在连接到达时自行接受队列中的连接，所以 Node 进程其实已经调用过 accept(2)。本实验把这个连接放在自己的队列中，直到服务器的 accept 步骤才交出——你看到的是 C 代码的顺序，用的是真实的连接。",
    ],
    task: "点击“继续运行客户端”。然后回答服务器的提问，或点击“单步执行服务器”，一次一个调用（accept、kernel_recvmsg、两次 sock_release），直到服务器显示“已加载”。之后关闭单步模式。",
  },
  timeline: {
    title: "回到过去",
    body: [
      "本次会话的每个事件都被记录下来：每个调用的进入与返回、每条 printk、每行 shell 输出。时间线列出了它们；选择其中一个，或拖动滑块，就能看到代码清单和日志在那一刻的样子。",
      "回看不会撤销任何事情。socket 仍停留在它们现在的状态，“启动”和“停止”按钮仍作用于当前的实验——查看过去时会有横幅提醒这一点。",
    ],
    task: "选中客户端 connect 返回的那个事件，看看 server.c，然后点击“回到现在”。",
  },
  "real-module": {
    title: "真正的模块会怎么写",
    body: [
      "公开发表的这对模块演示了调用；一个可以在真实机器上加载的模块会做如下改动：",
      [
        "让 init 尽快返回。在用 `kthread_run()` 启动的内核线程里 accept：init 返回 0，`insmod` 返回，exit 可以停止该线程。阻塞在 accept 中的线程不会仅因 `kthread_stop()` 而醒来；要先用 `kernel_sock_shutdown()` 关闭监听 socket，accept 随即返回 -EINVAL。",
        "用 `kernel_accept(sock, &newsock, 0)` 接受连接。它自己（通过 `sock_create_lite()`）分配新 socket 并设置其操作函数。永远不要 `kmalloc` 一个 `struct socket`。",
        "使用当前的签名：`sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &sock)`、`kernel_bind()`、`kernel_listen()`、`kernel_connect()`。",
        "在每条路径上（包括出错路径）用 `sock_release()` 释放每个 socket，用 `kfree()` 释放每个缓冲区。",
        "注意大小：`sizeof(recvbuf)` 是指针的大小（x86-64 上为 8 字节），不是缓冲区的大小；用 `%s` 打印收到的 1024 字节会越过缓冲区读取，因为没有任何东西以 NUL 结尾。多分配一个字节，或用 `%.*s` 打印。",
        "给每条消息一个级别：`pr_info()` 即 `printk(KERN_INFO …)`，`pr_err()` 即 `printk(KERN_ERR …)`。没有级别的 printk 使用默认消息级别 CONFIG_MESSAGE_LOGLEVEL_DEFAULT（4，即 KERN_WARNING，除非内核另行配置）。",
        "init 返回 0 或 -errno，绝不返回字节数。",
      ],
      "本实验还保存了两份清单的修正版，做到了以上各点；它们在 Debian 12 的 Linux 6.1 头文件下编译无警告。课程到此结束——实验室继续供你随意试验。",
    ],
  },
};
