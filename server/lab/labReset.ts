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
  const where = stuck.map((module) => ({ module, call: lab.stuckIn(module) }));
  // rmmod answers for itself: "could not remove module server: Device or resource busy".
  for (const module of stuck) await lab.rmmod(module);
  lab.dispose();
  const fresh = startFresh();
  fresh.kernelNotice(`${restartNotice(where)}\n`);
  fresh.announceUnloaded();
  return fresh;
}

/** "lab restarted: server.ko was stuck in accept; a real machine would need a reboot" */
export function restartNotice(stuck: readonly { module: ModuleName; call?: string }[]): string {
  const parts = stuck.map(({ module, call }) =>
    call ? `${module}.ko was stuck in ${call}` : `${module}.ko was stuck in its init`,
  );
  return `lab restarted: ${parts.join(", ")}; a real machine would need a reboot`;
}
