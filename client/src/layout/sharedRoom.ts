import { MODULES, type ModuleName } from "../../../shared/protocol/steps.ts";
import type { OopsEntry } from "../dock/useOopsDock.ts";

/**
 * The modules that share the middle's height instead of one having it: all of them while the dock
 * lists an oops of the VM shown (running, or stopped by it) from the listing shown. The published
 * pair's oops is where the two modules meet — the client's data reaching the server's half-made
 * socket — and which of them faults is a race in the guest: the server in kernel_recvmsg, or the
 * client's send waking that socket in __wake_up_common, a fatal exception in interrupt that stops
 * the VM. Whichever way it goes, the oopsing module's line and the other's (where the next press
 * acts, or what the faulting socket was made from) are both what the learner reads the oops
 * against, so neither folds away. Empty otherwise: the module the lab moved last has the room.
 */
export function modulesSharingTheRoom(oopses: readonly OopsEntry[]): readonly ModuleName[] {
  const ofThisVm = oopses.some((entry) => entry.vmState !== "rebooted" && !entry.otherListing);
  return ofThisVm ? MODULES : [];
}
