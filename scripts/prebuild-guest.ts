/**
 * Builds what a real-kernel VM boots with (both module pairs, their line tables, the initramfs)
 * into REAL_KERNEL_CACHE, at image build time: the first learner who picks "Real kernel" in a
 * container then waits for no kbuild. The app copies them into its own cache at start
 * (REAL_KERNEL_PREBUILT, server/realKernel/prebuiltCache.ts).
 */
import { realKernelAvailability } from "../server/realKernel/availability.ts";
import { guestArtifacts } from "../server/realKernel/guestArtifacts.ts";

const availability = realKernelAvailability();
if (!availability.ok) {
  console.error(`the real-kernel engine is not installed: ${availability.missing.join(", ")}`);
  process.exit(1);
}
const artifacts = await guestArtifacts(availability.tools);
if (!artifacts.ok) {
  console.error(`the ${artifacts.variant} pair did not build:\n${artifacts.output}`);
  process.exit(1);
}
console.log(`guest prebuilt for ${availability.tools.release} in ${artifacts.ms} ms: ${artifacts.initramfs}`);
