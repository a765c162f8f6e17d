import type { ModuleName } from "../../shared/steps.ts";
import { type ModuleView, stateWords } from "./labView.ts";

export type ModuleControlsProps = {
  module: ModuleName;
  view: ModuleView;
  onLoad: () => void;
  onUnload: () => void;
};

const TITLES: Record<ModuleName, string> = { server: "Server module", client: "Client module" };

export function ModuleControls({ module, view, onLoad, onUnload }: ModuleControlsProps) {
  const name = module === "server" ? "server" : "client";
  const current = view.current;
  return (
    <div className="module-controls">
      <h2>{TITLES[module]}</h2>
      <div className="buttons">
        <button type="button" className="primary" onClick={onLoad}>
          Start {name} <code>insmod {module}.ko</code>
        </button>
        <button type="button" onClick={onUnload}>
          Stop {name} <code>rmmod {module}</code>
        </button>
      </div>
      <p className={`module-state state-${view.state}`} aria-live="polite">
        <span className="visually-hidden">{TITLES[module]}: </span>
        <span className="state-words">{stateWords(view)}</span>
      </p>
      {current?.phase === "done" && current.result !== null && current.result < 0 ? (
        <p className="step-error" role="status">
          {current.step} returned {current.result} ({current.errno})
        </p>
      ) : null}
    </div>
  );
}
