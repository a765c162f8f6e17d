import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { createPortal } from "react-dom";
import type { ModuleName } from "../../../shared/protocol/steps.ts";

type Slots = {
  elements: Partial<Record<ModuleName, HTMLElement>>;
  register: (module: ModuleName, element: HTMLElement | null) => void;
};

const SlotsContext = createContext<Slots | null>(null);

/**
 * Where each module's step explanation is shown. The workbench keeps the listings' height for code
 * and puts the explanations beside the lesson; the module's compare view still owns what they say
 * (the pointed and pinned step), and renders them there through a portal.
 */
export function ExplanationSlotsProvider({ children }: { children: ReactNode }) {
  const [elements, setElements] = useState<Partial<Record<ModuleName, HTMLElement>>>({});
  const register = useCallback((module: ModuleName, element: HTMLElement | null) => {
    setElements((was) => {
      if ((was[module] ?? null) === element) return was;
      const next = { ...was };
      if (element) next[module] = element;
      else delete next[module];
      return next;
    });
  }, []);
  const value = useMemo(() => ({ elements, register }), [elements, register]);
  return <SlotsContext.Provider value={value}>{children}</SlotsContext.Provider>;
}

/** The place a module's explanation appears. */
export function ExplanationSlot({ module }: { module: ModuleName }) {
  const slots = useContext(SlotsContext);
  const register = slots?.register;
  const ref = useCallback(
    (element: HTMLDivElement | null) => register?.(module, element),
    [register, module],
  );
  return <div className="explanation-slot" ref={ref} />;
}

/** Renders `children` in the module's slot, or in place when the page has none. */
export function InExplanationSlot({ module, children }: { module: ModuleName; children: ReactNode }) {
  const target = useContext(SlotsContext)?.elements[module];
  return target ? createPortal(children, target) : children;
}
