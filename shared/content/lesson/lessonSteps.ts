import type { ModuleName } from "../../protocol/steps.ts";
import type { DoneWhen, LabHappening } from "./doneWhen.ts";
import type { LineMarker } from "./lineMarkers.ts";

/** The lesson's steps in order; the id is what the URL names (?step=server-walkthrough). */
export const LESSON_STEP_IDS = [
  "kernel-sockets",
  "exported-symbols",
  "server-setup",
  "server-walkthrough",
  "insmod-blocks",
  "client-walkthrough",
  "run-both",
  "init-return",
  "client-first",
  "port-busy",
  "step-mode",
  "accept-queue",
  "timeline",
  "real-module",
] as const;
export type LessonStepId = (typeof LESSON_STEP_IDS)[number];

/**
 * The lab state a step's task starts from: these modules not loaded (unloaded, or their init
 * failed), and the lab's port free of "Occupy port". "Reset the lab" brings the lab there.
 */
export type LabNeeds = {
  readonly unloaded?: readonly ModuleName[];
  readonly portFree?: boolean;
  /**
   * These modules loading, their init still running (insmod has not returned: the published
   * server blocked in accept). Reset cannot bring the lab there; the step names the button that does.
   */
  readonly initRunning?: readonly ModuleName[];
};

export type LessonStep = {
  readonly id: LessonStepId;
  /** Lines of the published listings the step talks about. */
  readonly marks?: Partial<Record<ModuleName, readonly LineMarker[]>>;
  /** The task is done when the lab's events since the learner reached the step show this. */
  readonly doneWhen?: DoneWhen;
  /**
   * A task done in the view, not the lab: the learner showed a moment whose event is this (on the
   * timeline or with Step back), then went back to live.
   */
  readonly doneWhenViewed?: LabHappening;
  /** The lab state the task needs; the step says so, and offers Reset the lab, when the lab is elsewhere. */
  readonly needs?: LabNeeds;
  /** KERNEL_FACTS ids whose sources back what the step says. */
  readonly facts?: readonly string[];
  /** KERNEL_SYMBOLS whose sources back what the step says. */
  readonly symbols?: readonly string[];
  /** Shows the table of the fifteen exported symbols. */
  readonly symbolTable?: boolean;
};

const SERVER_CALLS: readonly LineMarker[] = [
  { text: "ret=sock_create_kern(" },
  { text: "sock->ops->bind(" },
  { text: "sock->ops->listen(" },
  { text: "sock->ops->accept(" },
];

export const LESSON: readonly LessonStep[] = [
  { id: "kernel-sockets", facts: ["in-kernel-socket-users"] },
  { id: "exported-symbols", symbolTable: true },
  {
    id: "server-setup",
    marks: {
      server: [{ from: "struct socket *sock,*client_sock;", to: "client_sock=(struct socket *)kmalloc(" }],
    },
    facts: ["socket-is-an-inode"],
    symbols: ["sock_create_kern"],
  },
  {
    id: "server-walkthrough",
    needs: { unloaded: ["server"], portFree: true },
    marks: { server: SERVER_CALLS },
    doneWhen: { type: "step", module: "server", step: "accept", phase: "enter" },
    facts: ["node-listen", "insmod-blocks"],
    symbols: ["sock_create_kern", "kernel_bind", "kernel_listen", "kernel_accept"],
  },
  {
    id: "insmod-blocks",
    needs: { initRunning: ["server"] },
    marks: { server: [{ text: "sock->ops->accept(" }, { text: "return (myserver());" }] },
    doneWhen: { type: "console", includes: "Module server is in use" },
    facts: ["insmod-blocks", "rmmod-during-init"],
  },
  {
    id: "client-walkthrough",
    marks: {
      client: [
        { text: 'in_aton("192.168.209.134")' },
        { text: "ret=sock_create_kern(" },
        { text: "sock->ops->connect(" },
        { text: "memset(sendbuf,1,1024);" },
        { text: "ret=kernel_sendmsg(" },
      ],
    },
    symbols: ["kernel_connect", "kernel_sendmsg", "sock_release"],
  },
  {
    id: "run-both",
    needs: { unloaded: ["client"], initRunning: ["server"] },
    marks: {
      server: [
        { text: "sock->ops->accept(" },
        { text: "ret=kernel_recvmsg(" },
        { text: 'printk("receive message:' },
      ],
      client: [{ text: "sock->ops->connect(" }, { text: "ret=kernel_sendmsg(" }],
    },
    doneWhen: {
      type: "all",
      of: [
        { type: "module.state", module: "client", state: "live" },
        { type: "module.state", module: "server", state: "live" },
      ],
    },
    facts: ["libuv-accepts-eagerly", "pause-on-connect", "kmsg-escaping"],
    symbols: ["kernel_recvmsg"],
  },
  {
    id: "init-return",
    marks: {
      server: [
        { text: "return (myserver());" },
        { text: "sock_release(sock);" },
        { text: "sock_release(client_sock);" },
      ],
      client: [{ text: "return (myclient());" }, { text: 'printk("client exit!\\n");' }],
    },
    doneWhen: {
      type: "all",
      of: [
        { type: "module.state", module: "server", state: "unloaded" },
        { type: "module.state", module: "client", state: "unloaded" },
      ],
    },
    facts: ["init-return-convention"],
  },
  {
    id: "client-first",
    needs: { unloaded: ["server", "client"] },
    marks: { client: [{ text: "sock->ops->connect(" }, { text: 'printk("client:connect error!\\n");' }] },
    doneWhen: { type: "module.state", module: "client", state: "failed", initResult: -111 },
    facts: ["connect-refused", "init-return-convention"],
  },
  {
    id: "port-busy",
    needs: { unloaded: ["server"] },
    marks: { server: [{ text: "sock->ops->bind(" }, { text: 'printk("server: bind error\\n");' }] },
    doneWhen: { type: "module.state", module: "server", state: "failed", initResult: -98 },
    facts: ["bind-eaddrinuse", "node-listen"],
  },
  {
    id: "step-mode",
    needs: { unloaded: ["server", "client"], portFree: true },
    marks: {
      server: [{ text: "sock->ops->listen(" }, { text: "sock->ops->accept(" }],
      client: [{ text: "sock->ops->connect(" }],
    },
    doneWhen: {
      type: "sequence",
      of: [
        { type: "step.waiting", module: "server", step: "accept" },
        { type: "step", module: "client", step: "connect", phase: "exit", result: 0 },
      ],
    },
    facts: ["accept-queue"],
  },
  {
    id: "accept-queue",
    marks: {
      server: [{ text: "sock->ops->accept(" }, { text: "ret=kernel_recvmsg(" }],
      client: [{ text: "ret=kernel_sendmsg(" }],
    },
    doneWhen: {
      type: "all",
      of: [
        { type: "module.state", module: "client", state: "live" },
        { type: "module.state", module: "server", state: "live" },
      ],
    },
    facts: ["accept-queue", "libuv-accepts-eagerly", "pause-on-connect"],
  },
  {
    id: "timeline",
    doneWhenViewed: { type: "step", module: "client", step: "connect", phase: "exit" },
  },
  {
    id: "real-module",
    marks: {
      server: [
        // The tab keeps it apart from client_sock's line.
        { text: "\tsock=(struct socket *)kmalloc(" },
        { text: "client_sock=(struct socket *)kmalloc(" },
        { text: "ret=sock_create_kern(" },
        { text: "sock->ops->accept(" },
        { text: "memset(recvbuf, 0, sizeof(recvbuf));" },
        { text: 'printk("receive message:' },
        { text: "return (myserver());" },
      ],
      client: [{ text: "sock=(struct socket *)kmalloc(" }, { text: "return (myclient());" }],
    },
    facts: [
      "kthread-run-stop",
      "kernel-accept-lite",
      "socket-is-an-inode",
      "printk-default-level",
      "init-return-convention",
    ],
    symbols: ["sock_create_kern", "kernel_accept", "kernel_sock_shutdown", "kernel_setsockopt"],
  },
];

export function lessonStepIndex(id: string | null | undefined): number | undefined {
  const index = LESSON.findIndex((step) => step.id === id);
  return index === -1 ? undefined : index;
}
