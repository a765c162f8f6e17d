import { type Availability, detectRealKernel } from "../../server/realKernel/availability.ts";

/**
 * `REAL_KERNEL=required` (set by `npm test`, so by CI): a machine without QEMU or a kernel must fail
 * the real-kernel tests, not skip them — a green run then means the real kernel was tested.
 */
export function realKernelRequired(): boolean {
  return process.env.REAL_KERNEL === "required";
}

/**
 * What the real-kernel tests and e2e specs run on. Without the engine's tools it throws when they
 * are required (the file fails, naming what is missing) and says it skips them otherwise.
 */
export function realKernelForTests(): Availability {
  const availability = detectRealKernel();
  if (availability.ok) return availability;
  const missing = `missing ${availability.missing.join(", ")}; run \`${availability.installCommand}\``;
  if (realKernelRequired())
    throw new Error(`REAL_KERNEL=required, but the real kernel cannot run: ${missing}`);
  console.warn(`real-kernel tests skipped: ${missing}`);
  return availability;
}
