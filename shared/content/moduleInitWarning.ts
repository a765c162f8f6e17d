import type { Source } from "./bilingual.ts";

export type InitWarning = {
  readonly version: string;
  /** The printk format lines as written in do_init_module(); %s are __func__ / module name. */
  readonly lines: readonly string[];
  readonly dumpStack: boolean;
  readonly source: Source;
};

/** What do_init_module() (kernel/module/main.c) prints when a module's init returns a positive value. */
export const MODULE_INIT_WARNING: readonly InitWarning[] = [
  {
    version: "v6.1 (Debian 6.1.192)",
    lines: [
      "%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n",
      "%s: loading module anyway...\n",
    ],
    dumpStack: true,
    source: {
      label: "kernel/module/main.c do_init_module(), v6.1",
      url: "https://github.com/torvalds/linux/blob/v6.1/kernel/module/main.c",
    },
  },
  {
    version:
      "torvalds/linux snapshot 01d5b167dc23 (newest tree read; 2025, exact tag unverified): text unchanged",
    lines: [
      "%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n",
      "%s: loading module anyway...\n",
    ],
    dumpStack: true,
    source: {
      label: "kernel/module/main.c do_init_module() at 01d5b167dc23",
      url: "https://github.com/torvalds/linux/blob/01d5b167dc230cf3b6eb9dd7205f6a705026d1ce/kernel/module/main.c",
    },
  },
  {
    version:
      'proposed only: "module: Simplify warning on positive returns from module_init()" v2 (L. De Marchi, 2026-03-30) — merge and release unverified',
    lines: ["%s: init suspiciously returned %d, it should follow 0/-E convention\n"],
    dumpStack: false,
    source: {
      label: "linux-modules list, [PATCH v2 2/2] (2026-03-30)",
      url: "https://lore.kernel.org/linux-modules/",
    },
  },
];
