/**
 * The kernel functions a step of the listings calls, directly or through `sock->ops`: the stepper
 * sets a breakpoint on each and keeps the stops whose return address lies in a lab module.
 * Published: `sock->ops->bind(...)` is an indirect call to inet_stream_ops' inet_bind, etc.
 * Fixed: kernel_bind() and friends, kthread_run() = kthread_create_on_node() + wake_up_process().
 */
export const STEP_FUNCTIONS = [
  "sock_create_kern",
  "inet_bind",
  "inet_listen",
  "inet_accept",
  "inet_stream_connect",
  "kernel_bind",
  "kernel_listen",
  "kernel_accept",
  "kernel_connect",
  "kthread_create_on_node",
  "kernel_sendmsg",
  "kernel_recvmsg",
  "kernel_sock_shutdown",
  "sock_release",
] as const;

/** Where a module's init is called with its `struct module *`: the module's sections are known there. */
export const MODULE_INIT_FUNCTION = "do_init_module";

/** The tick counter (the guest's uptime while paused) and the ops tables a socket's `ops` may name. */
export const DATA_SYMBOLS = [
  "jiffies_64",
  "inet_stream_ops",
  "inet_dgram_ops",
  "inet_sockraw_ops",
  "inet6_stream_ops",
  "inet6_dgram_ops",
] as const;

export const KERNEL_SYMBOLS: readonly string[] = [...STEP_FUNCTIONS, MODULE_INIT_FUNCTION, ...DATA_SYMBOLS];

/** Parses `/proc/kallsyms` lines ("ffffffff81a2b3c0 T sock_create_kern") into name → address. */
export function parseKallsyms(lines: readonly string[]): Map<string, bigint> {
  const symbols = new Map<string, bigint>();
  for (const line of lines) {
    const match = /^([0-9a-f]{16}) \w (\S+)$/.exec(line.trim());
    if (!match) continue;
    const [, address, name] = match as unknown as [string, string, string];
    // The first one wins: a static function of the same name in another file comes later.
    if (!symbols.has(name)) symbols.set(name, BigInt(`0x${address}`));
  }
  return symbols;
}
