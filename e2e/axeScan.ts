import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * axe-core on the page as it is now (every rule AxeBuilder runs by default), or on `within` only.
 *
 * Run as `axe.run` in the page itself (AxeBuilder's legacy mode) and with only the violations
 * gathered: by default AxeBuilder runs axe once per frame, then opens a blank page, injects axe into
 * it again and finishes the run there from every node's partial result, passes included. On this
 * shared 2-core machine a whole-page scan of the lab after a run took 46–78 s that way and 10–13 s
 * this way, with the same findings. What the default adds is for cross-origin iframes, which the
 * lab has none of (same-origin frames are still scanned).
 */
export function axeScan(page: Page, within?: string): ReturnType<AxeBuilder["analyze"]> {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ["violations"] });
  return (within ? builder.include(within) : builder).analyze();
}
