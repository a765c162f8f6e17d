/**
 * server.c as published, call by call on Node's net. Read it beside the C: same order, same
 * printk texts, same return values. Where Node merges kernel calls, a comment says so.
 */
import type net from "node:net";
import type { Kernel, LabModule } from "../kernelApi.ts";
import { accept, createListener, deref, listen, out, recvmsg, release } from "../nodeSockets.ts";

async function myserver(k: Kernel): Promise<number> {
  const sock = out<net.Server>();
  const client_sock = out<net.Socket>();
  // INADDR_ANY in the C; the lab binds loopback only, so nothing outside this machine can connect.
  const s_addr = { host: k.loopback, port: k.port };
  let ret = 0;

  // Node opens no file descriptor until listen(): this step creates the handle, the next one
  // makes the real socket(), bind() and listen() system calls.
  ret = await k.call("sock_create_kern", () => createListener(k, sock), {
    twin: () => ({ made: sock.current }),
  });
  if (ret) {
    k.printk("server:socket_create error!\n");
  }
  k.printk("server:socket_create ok!\n");

  // One libuv call does socket() + bind() + listen(): a busy port fails here with EADDRINUSE.
  ret = await k.call("bind", () => listen(deref(sock, "sock"), s_addr, 10), {
    twin: () => ({ sock: sock.current, addr: s_addr }),
  });
  if (ret < 0) {
    k.printk("server: bind error\n");
    return ret;
  }
  k.printk("server:bind ok!\n");

  // listen() already ran inside the call above; this step reports that same call's outcome.
  ret = await k.call("listen", () => (deref(sock, "sock").listening ? 0 : -22), {
    twin: () => ({ sock: sock.current, backlog: 10 }),
  });
  if (ret < 0) {
    k.printk("server: listen error\n");
    return ret;
  }
  k.printk("server:listen ok!\n");

  // Blocks until a client connects: insmod keeps running all that time, as in the kernel.
  ret = await k.call("accept", () => accept(deref(sock, "sock"), client_sock), {
    twin: () => ({ sock: sock.current, made: client_sock.current }),
  });
  if (ret < 0) {
    k.printk("server:accept error!\n");
    return ret;
  }

  k.printk("server: accept ok, Connection Established\n");

  const recvbuf = new Uint8Array(1024);
  ret = await k.call("kernel_recvmsg", () => recvmsg(deref(client_sock, "client_sock"), recvbuf, 1024), {
    buffer: recvbuf,
    twin: () => ({ sock: client_sock.current, buffer: recvbuf, len: 1024 }),
  });
  k.printk("receive message:\n %s\n", recvbuf.subarray(0, Math.max(ret, 0)));

  await k.call("sock_release_listener", () => release(sock.current), {
    twin: () => ({ sock: sock.current }),
  });
  await k.call("sock_release_conn", () => release(client_sock.current), {
    twin: () => ({ sock: client_sock.current }),
  });
  return ret;
}

async function server_init(k: Kernel): Promise<number> {
  k.printk("server init:\n");
  return await myserver(k);
}

async function server_exit(k: Kernel): Promise<void> {
  k.printk("good bye\n");
}

export const serverModule: LabModule = { init: server_init, exit: server_exit };
