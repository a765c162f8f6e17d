/**
 * client.c fixed for Linux 6.x, call by call on Node's net: it connects, sends 1024 bytes of 0x01,
 * keeps the socket until rmmod and releases it there; init returns 0 or -errno.
 */
import type net from "node:net";
import type { Kernel, LabModule } from "../kernelApi.ts";
import { connect, createStream, deref, type Out, out, release, sendmsg } from "../nodeSockets.ts";
import { pr_err, pr_info, pr_warn } from "../printkLevels.ts";

const BUF_LEN = 1024;

/** Kept until rmmod, like the published module's connection, but freed there. */
type Statics = { sock: Out<net.Socket> };

function statics(k: Kernel): Statics {
  return k.statics<Statics>(() => ({ sock: out<net.Socket>() }));
}

/** The one place the socket is freed: init's error path and exit share it. */
async function drop_socket(k: Kernel): Promise<void> {
  const { sock } = statics(k);
  await k.call("sock_release", () => release(sock.current), {
    twin: () => ({ sock: sock.current }),
  });
  sock.current = undefined;
}

async function send_all_ones(k: Kernel): Promise<number> {
  const { sock } = statics(k);
  // kmalloc cannot fail here; the C checks it and returns -ENOMEM.
  const sendbuf = new Uint8Array(BUF_LEN);
  sendbuf.fill(1, 0, BUF_LEN);
  const ret = await k.call("kernel_sendmsg", () => sendmsg(deref(sock, "sock"), sendbuf, BUF_LEN), {
    buffer: sendbuf,
    twin: () => ({ sock: sock.current, buffer: sendbuf, len: BUF_LEN }),
  });
  // kfree(sendbuf): nothing refers to it any more, so the garbage collector frees it.
  if (ret < 0) {
    pr_err(k, "client: kernel_sendmsg error %d\n", ret);
    return ret;
  }
  // A blocking send is all or nothing unless a signal cut it short.
  if (ret !== BUF_LEN) pr_warn(k, "client: sent %d of %d bytes\n", ret, BUF_LEN);
  pr_info(k, "client:send ok!\n");
  return 0;
}

/** The C's `err:` label: release the socket, then return ret. */
async function err(k: Kernel, ret: number): Promise<number> {
  await drop_socket(k);
  return ret;
}

async function client_init(k: Kernel): Promise<number> {
  const { sock } = statics(k);
  // Loopback only: the lab never dials another host.
  const s_addr = { host: k.loopback, port: k.port };
  let ret: number;

  pr_info(k, "client:init\n");
  // Node opens the file descriptor inside connect(); this step creates the handle.
  ret = await k.call("sock_create_kern", () => createStream(k, sock), {
    twin: () => ({ made: sock.current }),
  });
  if (ret < 0) {
    pr_err(k, "client:socket create error %d\n", ret);
    return ret;
  }
  pr_info(k, "client: socket create ok!\n");
  ret = await k.call("connect", () => connect(deref(sock, "sock"), s_addr), {
    twin: () => ({ sock: sock.current, addr: s_addr }),
  });
  if (ret < 0) {
    pr_err(k, "client:connect error %d\n", ret);
    return err(k, ret);
  }
  pr_info(k, "client:connect ok!\n");
  ret = await send_all_ones(k);
  if (ret < 0) return err(k, ret);
  // 0, not the byte count: init speaks the 0/-errno convention.
  return 0;
}

async function client_exit(k: Kernel): Promise<void> {
  await drop_socket(k);
  pr_info(k, "client exit!\n");
}

export const clientModule: LabModule = { init: client_init, exit: client_exit };
