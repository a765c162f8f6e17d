import type { Variant } from "../../../shared/protocol/steps.ts";
import type { ModuleView } from "../connection/labView.ts";

/**
 * The listing a module's pane shows: the one it runs while loading or loaded, otherwise the one
 * the next insmod would run (the learner's selection).
 */
export function shownVariant(view: ModuleView, selected: Variant): Variant {
  return (view.state === "loading" || view.state === "live") && view.variant ? view.variant : selected;
}
