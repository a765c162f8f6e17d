import { MODULES, type ModuleName } from "../../shared/protocol/steps.ts";
import type { LabKernel } from "./labKernel.ts";

/**
 * "Reset the lab" on the Node lab: rmmod every live module (its exit runs for real, without
 * step-mode pauses). A module whose init has not returned — blocked in accept or recvmsg, or held
 * before a call — is refused by rmmod with EBUSY as the kernel refuses it; that lab is then ended
 * (its sockets closed) and `startFresh` starts another on the same port, which says so in the log.
 */
export async function resetNodeLab(lab: LabKernel, startFresh: () => LabKernel): Promise<LabKernel> {
  for (const module of MODULES) {
    if (lab.moduleState(module) === "live") await lab.rmmod(module, { runToEnd: true });
  }
  const stuck = MODULES.filter((module) => lab.moduleState(module) === "loading");
  if (stuck.length === 0) return lab;
  const where = stuck.map((module): StuckAt => ({ module, ...lab.stuckIn(module) }));
  // rmmod answers for itself, as kmod does during init: "rmmod: ERROR: Module server is in use".
  for (const module of stuck) await lab.rmmod(module);
  lab.dispose();
  const fresh = startFresh();
  fresh.kernelNotice(`${restartNotice(where)}\n`);
  fresh.announceUnloaded();
  return fresh;
}

/** Where a module's init is: in a call (`held`: step mode holds it before the call). */
export type StuckAt = { module: ModuleName; call?: string; held?: boolean };

/**
 * "lab restarted: server.ko was stuck in accept; a real machine would need a reboot". A module
 * held by step mode is said to be so: a real kernel has no step mode, only the init that has not returned.
 */
export function restartNotice(stuck: readonly StuckAt[]): string {
  const parts = stuck.map(({ module, call, held }) =>
    !call
      ? `${module}.ko was stuck in its init`
      : held
        ? `${module}.ko's init was held by step mode before ${call}`
        : `${module}.ko was stuck in ${call}`,
  );
  const blocked = stuck.some((at) => !at.held);
  const why = blocked
    ? "a real machine would need a reboot"
    : "rmmod cannot remove a module whose init has not returned";
  return `lab restarted: ${parts.join(", ")}; ${why}`;
}
