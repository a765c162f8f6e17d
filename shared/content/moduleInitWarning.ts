import type { Bilingual, Source } from "./bilingual.ts";
import {
  COMMIT_INIT_EEXIST,
  COMMIT_INIT_WARNING,
  MODULE_C_61,
  MODULE_C_70,
  MODULE_C_71,
} from "./kernelSources.ts";

export type InitWarning = {
  /** The releases that print it. */
  readonly versions: Bilingual;
  /** The printk format lines as written in do_init_module(); `args` names what fills each conversion. */
  readonly lines: readonly string[];
  readonly args: readonly ("__func__" | "mod->name" | "ret")[];
  readonly dumpStack: boolean;
  readonly sources: readonly Source[];
};

/**
 * What do_init_module() (kernel/module/main.c) prints when a module's init returns a positive
 * value, by release: one pr_warn record in each, the module loads anyway in each.
 */
export const MODULE_INIT_WARNING: readonly InitWarning[] = [
  {
    versions: {
      en: "up to v7.0 (v6.1 and v7.0 read): two lines, then a stack dump",
      zh: "直到 v7.0（已读 v6.1 与 v7.0）：两行文字，随后是调用栈",
    },
    lines: [
      "%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n",
      "%s: loading module anyway...\n",
    ],
    args: ["__func__", "mod->name", "ret", "__func__"],
    dumpStack: true,
    sources: [MODULE_C_61, MODULE_C_70],
  },
  {
    versions: {
      en: "from v7.1-rc1 (7.1.5 read): one line naming the module, no stack dump",
      zh: "自 v7.1-rc1 起（已读 7.1.5）：一行文字，带模块名，没有调用栈",
    },
    lines: ["%s: init suspiciously returned %d, it should follow 0/-E convention\n"],
    args: ["mod->name", "ret"],
    dumpStack: false,
    sources: [MODULE_C_71, COMMIT_INIT_WARNING, COMMIT_INIT_EEXIST],
  },
];

/** The warning the lab's kernel (Debian 12's 6.1) prints: the first entry. */
export const INIT_WARNING_61 = MODULE_INIT_WARNING[0] as InitWarning;
