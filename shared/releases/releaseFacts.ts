import { compareReleases } from "./kernelSeries.ts";

/**
 * Kernel facts whose value depends on the release, each with the release it was checked on. Where
 * the lab ran that release here, the value is the one its real run printed (asserted by
 * test/kernelReleases.integration.test.ts and test/realKernel.integration.test.ts).
 */
export type PrintkLimit = {
  /** The bytes one printk record may reserve, NUL included. */
  lineMax: number;
  /** The kernel's name for it in that release. */
  macro: "LOG_LINE_MAX" | "PRINTKRB_RECORD_MAX";
  /** The release the value was read and run on. */
  checkedOn: string;
  /** The fixed server's receive record there: "server: receive message (1024 bytes): " is 38 bytes, then this many 0x01. */
  fixedReceiveOnes: number;
  /** The picked release lies outside what was checked (before 6.1): the value is 6.1's, unverified. */
  unchecked: boolean;
};

/** pr_info()'s KERN_INFO prefix ("\001" "6") takes 2 of the record's bytes; the NUL one more. */
const RECEIVE_TEXT = 38;
const ones = (lineMax: number) => lineMax - 1 - 2 - RECEIVE_TEXT;

/**
 * v6.3's b0975c47c217 ("printk: adjust string limit macros") replaced LOG_LINE_MAX (1024 - 32 =
 * 992) with PRINTKRB_RECORD_MAX (1024) (docs/kernel-facts.md, shared/content/kernelFacts.ts).
 */
export function printkLimit(series: string): PrintkLimit {
  // Asked at every printk of every lab: worked out once per release named.
  let limit = printkLimits.get(series);
  if (!limit) {
    limit = printkLimitOf(series);
    if (printkLimits.size < 256) printkLimits.set(series, limit);
  }
  return limit;
}

const printkLimits = new Map<string, PrintkLimit>();

function printkLimitOf(series: string): PrintkLimit {
  if (compareReleases(series, "6.3") >= 0)
    return {
      lineMax: 1024,
      macro: "PRINTKRB_RECORD_MAX",
      checkedOn: "6.12.118 (Debian 12's linux-image-6.12 cloud kernel, run here)",
      fixedReceiveOnes: ones(1024),
      unchecked: false,
    };
  // 5.10 ran here too when unpacked (LAB_KERNELS="6.12 5.10"): the same 38 + 951 bytes.
  if (compareReleases(series, "5.10") >= 0 && compareReleases(series, "6.1") < 0)
    return {
      lineMax: 992,
      macro: "LOG_LINE_MAX",
      checkedOn: "5.10.262 (Debian 11's cloud kernel 5.10.0-46, run here)",
      fixedReceiveOnes: ones(992),
      unchecked: false,
    };
  return {
    lineMax: 992,
    macro: "LOG_LINE_MAX",
    checkedOn: "6.1.192 (Debian 12's cloud kernel, run here)",
    fixedReceiveOnes: ones(992),
    unchecked: compareReleases(series, "6.1") < 0,
  };
}
