import type { ReactNode } from "react";
import { OverflowMenu } from "./OverflowMenu.tsx";
import { useMediaQuery } from "./useMediaQuery.ts";

export type SetupOverflowProps = {
  /** A wide screen: the setup strip is one row, so these go in a menu named by what it holds. */
  wide: boolean;
  label: string;
  /**
   * The engine's status line. Under 1440 px the strip has no room for it beside the engine's
   * buttons: the open menu shows it (the strip keeps it out of sight for screen readers, so this
   * copy is hidden from them and is on the page only while the menu is open).
   */
  engineWords: string;
  children: ReactNode;
};

/** Where the engine's status line no longer fits beside its buttons (see oneRowHeader.css). */
const STATUS_IN_MENU = "(max-width: 1439.98px)";

/** The kernel release's picker and diff: in a menu on the wide setup strip, in the phone's setup view as they are. */
export function SetupOverflow({ wide, label, engineWords, children }: SetupOverflowProps) {
  const statusInMenu = useMediaQuery(STATUS_IN_MENU);
  return wide ? (
    <OverflowMenu label={label} className="setup-overflow">
      {(open) => (
        <>
          {open && statusInMenu ? (
            <p className="setup-overflow-engine" aria-hidden="true">
              {engineWords}
            </p>
          ) : null}
          {children}
        </>
      )}
    </OverflowMenu>
  ) : (
    children
  );
}
