/**
 * The kernel calls the lab knows, one id each. A step id names the C call it mirrors; the same id
 * is used by both listings of a module (as published / fixed) when they make the same call.
 */
export const MODULES = ["server", "client"] as const;
export type ModuleName = (typeof MODULES)[number];

/** One value per module, as a record: the one place the record's type is asserted. */
export function perModule<T>(value: (module: ModuleName) => T): Record<ModuleName, T> {
  return Object.fromEntries(MODULES.map((m) => [m, value(m)])) as Record<ModuleName, T>;
}

export const VARIANTS = ["published", "fixed"] as const;
export type Variant = (typeof VARIANTS)[number];

export const STEP_IDS = {
  server: [
    "sock_create_kern",
    "bind",
    "listen",
    "kthread_run",
    "accept",
    "kernel_recvmsg",
    "sock_release_conn",
    "kernel_sock_shutdown",
    "sock_release_listener",
  ],
  client: ["sock_create_kern", "connect", "kernel_sendmsg", "sock_release"],
} as const;

export type ServerStepId = (typeof STEP_IDS.server)[number];
export type ClientStepId = (typeof STEP_IDS.client)[number];
export type StepId = ServerStepId | ClientStepId;

/** Every step id once, for schemas: a non-empty tuple as z.enum wants it. */
export const ALL_STEP_IDS = [...new Set<StepId>([...STEP_IDS.server, ...STEP_IDS.client])] as [
  StepId,
  ...StepId[],
];

/**
 * How each step is found in the C source: the text of the call, which must occur on exactly one
 * line of that listing. The TS side needs no table: its marker is the `k.call("<id>"` itself.
 * A step a listing does not make is simply absent from its table.
 */
export const C_CALL_MARKERS: Record<Variant, { [M in ModuleName]: Partial<Record<StepId, string>> }> = {
  published: {
    server: {
      sock_create_kern: "ret=sock_create_kern(",
      bind: "sock->ops->bind(",
      listen: "sock->ops->listen(",
      accept: "sock->ops->accept(",
      kernel_recvmsg: "ret=kernel_recvmsg(",
      sock_release_listener: "sock_release(sock);",
      sock_release_conn: "sock_release(client_sock);",
    },
    client: {
      sock_create_kern: "ret=sock_create_kern(",
      connect: "sock->ops->connect(",
      kernel_sendmsg: "ret=kernel_sendmsg(",
    },
  },
  fixed: {
    server: {
      sock_create_kern: "sock_create_kern(",
      bind: "kernel_bind(",
      listen: "kernel_listen(",
      kthread_run: "kthread_run(",
      accept: "kernel_accept(",
      kernel_recvmsg: "kernel_recvmsg(",
      sock_release_conn: "sock_release(newsock)",
      kernel_sock_shutdown: "kernel_sock_shutdown(",
      sock_release_listener: "sock_release(sock)",
    },
    client: {
      sock_create_kern: "sock_create_kern(",
      connect: "kernel_connect(",
      kernel_sendmsg: "kernel_sendmsg(",
      sock_release: "sock_release(sock)",
    },
  },
};

/** Calls that return void in C (sock_release): their step result is null, not a number. */
export const VOID_STEPS: ReadonlySet<StepId> = new Set<StepId>([
  "sock_release_conn",
  "sock_release_listener",
  "sock_release",
]);
