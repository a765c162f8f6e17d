import { type LineTable, lineAt } from "../moduleLineTable.ts";
import { CALL_LENGTH, type KoImage, type LoadedModule } from "./moduleImage.ts";
import { isRegisterName, type X86Registers } from "./rspClient.ts";

/**
 * A call instruction of a lab module on one of its listing's step lines: where the stepper stops
 * the CPU, before the call. A breakpoint here, in the module's own code, instead of on the kernel
 * function, keeps every kernel page free of breakpoints (under TCG a page holding a breakpoint runs
 * one instruction per translated block) and never stops for the kernel's own callers.
 */
export type StepCallSite = {
  /** The call instruction, in the guest. */
  at: bigint;
  /** The instruction after it: where the call returns (a rewritten retpoline call is NOP-padded to 5 bytes). */
  returnsTo: bigint;
  cLine: number;
  /** A direct call's kernel function, or the register an indirect call jumps through (`sock->ops->bind`). */
  callee: { function: string } | { register: keyof X86Registers };
};

/** `call __x86_indirect_thunk_rax`: the compiler's indirect call under retpolines; the kernel may rewrite it to `call *%rax`. */
const INDIRECT_THUNK = /^__x86_indirect_thunk_(\w+)$/;

/** The function symbol of the .ko that holds `offset` of section `section` (its name keys the line table). */
function functionAt(image: KoImage, section: number, offset: number) {
  return image.symbols.find(
    (s) =>
      s.section === section &&
      s.functionSize !== undefined &&
      s.name &&
      offset >= Number(s.value) &&
      offset < Number(s.value) + s.functionSize,
  );
}

/**
 * Every call of a loaded module that may be a step: direct calls to one of `stepFunctions`, and
 * indirect calls, on a line `isStepLine` accepts (the line from the module's line table, read once
 * per build from its DWARF, the same table the oops links use).
 */
export function stepCallSites(
  loaded: LoadedModule,
  lines: LineTable,
  stepFunctions: ReadonlySet<string>,
  isStepLine: (cLine: number) => boolean,
): StepCallSite[] {
  const sites: StepCallSite[] = [];
  for (const call of loaded.image.calls ?? []) {
    const register = INDIRECT_THUNK.exec(call.target)?.[1];
    let callee: StepCallSite["callee"];
    if (stepFunctions.has(call.target)) callee = { function: call.target };
    else if (register && isRegisterName(register)) callee = { register };
    else continue;
    const at = loaded.address(call.section, call.offset);
    const symbol = functionAt(loaded.image, call.section, call.offset);
    if (at === undefined || !symbol?.name) continue;
    const cLine = lineAt(lines, symbol.name, call.offset - Number(symbol.value), false);
    if (cLine === undefined || !isStepLine(cLine)) continue;
    sites.push({ at, returnsTo: at + BigInt(CALL_LENGTH), cLine, callee });
  }
  return sites;
}
