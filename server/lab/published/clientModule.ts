/**
 * client.c as published, call by call on Node's net. It dials the lab's loopback port where the
 * C dials 192.168.209.134, and, like the C, it never releases its socket.
 */
import type net from "node:net";
import type { Kernel, LabModule } from "../kernelApi.ts";
import { connect, createStream, deref, out, sendmsg } from "../nodeSockets.ts";

async function myclient(k: Kernel): Promise<number> {
  const sock = out<net.Socket>();
  const s_addr = { host: k.loopback, port: k.port };
  let ret = 0;

  // Node opens the file descriptor inside connect(); this step creates the handle.
  ret = await k.call("sock_create_kern", () => createStream(k, sock), {
    twin: () => ({ made: sock.current }),
  });
  if (ret < 0) {
    k.printk("client:socket create error!\n");
    return ret;
  }
  k.printk("client: socket create ok!\n");

  ret = await k.call("connect", () => connect(deref(sock, "sock"), s_addr), {
    twin: () => ({ sock: sock.current, addr: s_addr }),
  });
  if (ret !== 0) {
    k.printk("client:connect error!\n");
    return ret;
  }
  k.printk("client:connect ok!\n");

  const sendbuf = new Uint8Array(1024);
  sendbuf.fill(1, 0, 1024);

  ret = await k.call("kernel_sendmsg", () => sendmsg(deref(sock, "sock"), sendbuf, 1024), {
    buffer: sendbuf,
    twin: () => ({ sock: sock.current, buffer: sendbuf, len: 1024 }),
  });
  if (ret < 0) {
    k.printk("client: kernel_sendmsg error!\n");
    return ret;
  } else if (ret !== 1024) {
    k.printk("client: ret!=1024");
  }
  k.printk("client:send ok!\n");

  // No sock_release, as in the C: the socket stays open (the lab closes it when your session ends).
  return ret;
}

async function client_init(k: Kernel): Promise<number> {
  k.printk("client:init\n");
  return await myclient(k);
}

async function client_exit(k: Kernel): Promise<void> {
  k.printk("client exit!\n");
}

export const clientModule: LabModule = { init: client_init, exit: client_exit };
