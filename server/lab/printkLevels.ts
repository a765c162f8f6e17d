/**
 * The kernel's log levels and its pr_* macros (include/linux/kern_levels.h, include/linux/printk.h,
 * v6.1): `pr_info(fmt, …)` is `printk(KERN_INFO pr_fmt(fmt), …)`, a level prefix glued onto the
 * format. The fixed modules call these exactly where their C calls pr_info/pr_warn/pr_err, with the
 * same format literal, so the printk is found on its C line as a plain printk is.
 */
import type { PrintkArg } from "../../shared/kernelLog/printk.ts";
import { KERN_SOH } from "../../shared/kernelLog/printk.ts";
import type { Kernel } from "./kernelApi.ts";

export const KERN_ERR = `${KERN_SOH}3`;
export const KERN_WARNING = `${KERN_SOH}4`;
export const KERN_INFO = `${KERN_SOH}6`;

export function pr_err(k: Kernel, fmt: string, ...args: PrintkArg[]): void {
  k.printk(KERN_ERR + fmt, ...args);
}

export function pr_warn(k: Kernel, fmt: string, ...args: PrintkArg[]): void {
  k.printk(KERN_WARNING + fmt, ...args);
}

export function pr_info(k: Kernel, fmt: string, ...args: PrintkArg[]): void {
  k.printk(KERN_INFO + fmt, ...args);
}
