import { useEffect } from "react";

/**
 * While `loaded` (a module is in the lab), leaving or reloading the page asks first: the browser's
 * own leave-page prompt (its words are the browser's; a page cannot set them). A reload ends this
 * session's lab, its modules and its sockets, and the next one may get another port.
 */
export function useLeaveWarning(loaded: boolean): void {
  useEffect(() => {
    if (!loaded) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older engines show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [loaded]);
}
