/**
 * server.c fixed for Linux 6.x, call by call on Node's net. init binds, listens and starts the accept
 * loop in a kernel thread, so insmod returns at once; exit shuts the listener down, stops the
 * thread and releases the socket. Read it beside the C: same order, same printk texts.
 */
import type net from "node:net";
import type { Kernel, LabModule } from "../kernelApi.ts";
import {
  accept,
  createListener,
  deref,
  listen,
  type Out,
  out,
  recvmsg,
  release,
  shutdownListener,
} from "../nodeSockets.ts";
import { pr_err, pr_info } from "../printkLevels.ts";

const BUF_LEN = 1024;
/** HZ jiffies make one second; the lab counts in milliseconds. */
const HZ = 1000;

/** The module's statics: sock, accept_task (the thread's name) and recvbuf. */
type Statics = { sock: Out<net.Server>; recvbuf: Uint8Array | null };

function statics(k: Kernel): Statics {
  return k.statics<Statics>(() => ({ sock: out<net.Server>(), recvbuf: null }));
}

/** The one place the listener is freed: init's error path and exit share it. */
async function drop_listener(k: Kernel): Promise<void> {
  const s = statics(k);
  await k.call("sock_release_listener", () => release(s.sock.current), {
    twin: () => ({ sock: s.sock.current }),
  });
  s.sock.current = undefined;
}

/** Runs in its own thread so that insmod returns as soon as init is done. */
async function accept_loop(k: Kernel, kthread_should_stop: () => boolean): Promise<void> {
  const { sock, recvbuf } = statics(k);
  // Cannot happen: init allocates recvbuf before it starts this thread; the check satisfies the types.
  if (!recvbuf) return;
  const newsock = out<net.Socket>();
  let ret: number;

  while (!kthread_should_stop()) {
    ret = await k.call("accept", () => accept(deref(sock, "sock"), newsock), {
      twin: () => ({ sock: sock.current, made: newsock.current }),
    });
    if (ret < 0) {
      pr_info(k, "server: accept returned %d, loop ends\n", ret);
      break;
    }
    pr_info(k, "server: accept ok, Connection Established\n");
    // A silent peer must not keep rmmod waiting for ever: newsock->sk->sk_rcvtimeo = 5 * HZ.
    const sk_rcvtimeo = 5 * HZ;
    // A byte stream: one call may return fewer bytes than were sent.
    const receive = () => recvmsg(deref(newsock, "newsock"), recvbuf, BUF_LEN, sk_rcvtimeo);
    ret = await k.call("kernel_recvmsg", receive, {
      buffer: recvbuf,
      twin: () => ({ sock: newsock.current, buffer: recvbuf, len: BUF_LEN }),
    });
    if (ret < 0) pr_err(k, "server: recvmsg error %d\n", ret);
    else pr_info(k, "server: receive message (%d bytes): %.*s\n", ret, ret, recvbuf);
    await k.call("sock_release_conn", () => release(newsock.current), {
      twin: () => ({ sock: newsock.current }),
    });
  }
  // Returning before kthread_stop() would free the task under its feet.
  while (!kthread_should_stop()) await k.sleep(HZ);
}

/** kthread_run(accept_loop, NULL, "ksock_server"): the lab knows its threads by name. */
function start_accept_loop(k: Kernel): number {
  k.spawn("ksock_server", (kthread_should_stop) => accept_loop(k, kthread_should_stop));
  return 0;
}

/** The C's error labels: each undoes what init had done before it failed, then returns ret. */
async function err_sock(k: Kernel, ret: number): Promise<number> {
  await drop_listener(k);
  return err_buf(k, ret);
}

function err_buf(k: Kernel, ret: number): number {
  statics(k).recvbuf = null; // kfree(recvbuf)
  return ret;
}

async function server_init(k: Kernel): Promise<number> {
  const s = statics(k);
  // htonl(INADDR_LOOPBACK), as the fixed C binds.
  const s_addr = { host: k.loopback, port: k.port };
  let ret: number;

  pr_info(k, "server init:\n");
  // One spare byte, so the text is NUL-terminated whatever arrives (kzalloc zeroes it).
  s.recvbuf = new Uint8Array(BUF_LEN + 1);
  ret = await k.call("sock_create_kern", () => createListener(k, s.sock), {
    twin: () => ({ made: s.sock.current }),
  });
  if (ret < 0) {
    pr_err(k, "server:socket_create error %d\n", ret);
    return err_buf(k, ret);
  }
  pr_info(k, "server:socket_create ok!\n");
  // sock_set_reuseaddr(sock->sk): libuv's uv__tcp_bind() sets SO_REUSEADDR on every listener already.
  // One libuv call does socket() + bind() + listen(): a busy port fails here with EADDRINUSE.
  ret = await k.call("bind", () => listen(deref(s.sock, "sock"), s_addr, 10), {
    twin: () => ({ sock: s.sock.current, addr: s_addr }),
  });
  if (ret < 0) {
    pr_err(k, "server: bind error %d\n", ret);
    return err_sock(k, ret);
  }
  pr_info(k, "server:bind ok!\n");
  // listen() already ran inside the call above; this step reports that same call's outcome.
  ret = await k.call("listen", () => (deref(s.sock, "sock").listening ? 0 : -22), {
    twin: () => ({ sock: s.sock.current, backlog: 10 }),
  });
  if (ret < 0) {
    pr_err(k, "server: listen error %d\n", ret);
    return err_sock(k, ret);
  }
  pr_info(k, "server:listen ok!\n");
  // kthread_run returns the task; the lab knows its threads by name ("ksock_server").
  const accept_thread = { fn: "accept_loop", name: "ksock_server" };
  ret = await k.call("kthread_run", () => start_accept_loop(k), { twin: () => ({ thread: accept_thread }) });
  if (ret < 0) return err_sock(k, ret);
  return 0;
}

async function server_exit(k: Kernel): Promise<void> {
  const s = statics(k);
  // Takes the listener out of LISTEN, so the blocked accept returns.
  await k.call("kernel_sock_shutdown", () => shutdownListener(deref(s.sock, "sock")), {
    twin: () => ({ sock: s.sock.current, how: 2 }),
  });
  await k.stopThread("ksock_server");
  await drop_listener(k);
  s.recvbuf = null; // kfree(recvbuf)
  pr_info(k, "good bye\n");
}

export const serverModule: LabModule = { init: server_init, exit: server_exit };
