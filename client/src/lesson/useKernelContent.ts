import { useSyncExternalStore } from "react";

export type KernelContent = typeof import("./kernelContent.ts");

let content: KernelContent | undefined;
let requested = false;
const listeners = new Set<() => void>();

function load(): void {
  if (requested) return;
  requested = true;
  import("./kernelContent.ts").then(
    (module) => {
      content = module;
      for (const listener of listeners) listener();
    },
    // A failed fetch (the server restarted with a new build, a dropped connection) leaves the
    // texts out, not the page broken; the next view that asks for them tries again.
    () => {
      requested = false;
    },
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  load();
  return () => {
    listeners.delete(listener);
  };
}

const snapshot = () => content;

/**
 * The lesson's cited kernel texts (kernelContent.ts), or undefined until their chunk has arrived:
 * the first view that asks fetches it, right after the first paint, and every asker renders again
 * once it is here.
 */
export function useKernelContent(): KernelContent | undefined {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
