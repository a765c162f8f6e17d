/**
 * The traced lab's process: one LabKernel, driven over IPC by the app's TracedLab, launched with
 * strace as its parent. It makes the step markers strace places the lab's lines by (stepMarker.ts).
 * It ends when its IPC channel closes: the app that started it is gone or has let it go.
 */
import { accessSync } from "node:fs";
import type { ServerEvent } from "../../shared/protocol/messages.ts";
import { EventStamper } from "../engine/eventStamper.ts";
import { LabKernel } from "../lab/labKernel.ts";
import { markerPath, markerTime } from "./stepMarker.ts";
import type { WorkerCommand, WorkerReport } from "./workerMessages.ts";

/** Reports of one tick, sent in one IPC message: each write to the channel is a traced system call. */
let pending: WorkerReport[] = [];

function report(message: WorkerReport): void {
  if (pending.length === 0) setImmediate(flush);
  pending.push(message);
}

function flush(): void {
  const reports = pending;
  pending = [];
  if (process.connected) process.send?.(reports);
}

function mark(event: ServerEvent): void {
  if (event.type !== "step") return;
  try {
    accessSync(markerPath({ module: event.module, step: event.step, phase: event.phase, t: event.t }));
  } catch {
    // ENOENT is the point: the call only has to reach the kernel, where strace sees it.
  }
}

const stamper = new EventStamper((event) => {
  if ("seq" in event) {
    const timed = { ...event, t: markerTime(event.t) };
    mark(timed);
    report({ type: "event", event: timed });
  } else report({ type: "notice", event });
});

let lab: LabKernel | undefined;

async function run(command: WorkerCommand): Promise<string | undefined> {
  if (command.type === "start") {
    lab = new LabKernel({
      port: command.port,
      stamper,
      variant: command.variant,
      socketLimit: command.socketLimit,
      startedAt: performance.now() - command.elapsedMs,
    });
    lab.setStepMode(command.stepMode);
    lab.announceUnloaded();
    return undefined;
  }
  if (!lab) return "the traced lab has not started";
  switch (command.type) {
    case "insmod":
      return void (await lab.insmod(command.module));
    case "rmmod":
      return void (await lab.rmmod(command.module));
    case "stepNext":
      return void lab.stepNext(command.module);
    case "stepContinue":
      return void lab.stepContinue(command.module);
    case "selectVariant":
      return lab.selectVariant(command.variant);
    case "setStepMode":
      return void lab.setStepMode(command.enabled);
    case "notice":
      return void lab.kernelNotice(command.text);
    case "reset": {
      const after = await lab.reset();
      if (after instanceof LabKernel) lab = after;
      return undefined;
    }
  }
}

process.on("message", (message: WorkerCommand) => {
  const id = "id" in message ? message.id : -1;
  run(message).then(
    (refused) => report({ type: "done", id, refused }),
    (err: unknown) => report({ type: "done", id, error: (err as Error).message }),
  );
});

process.on("disconnect", () => {
  lab?.dispose();
  process.exit(0);
});

report({ type: "ready", pid: process.pid });
