import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import listings from "virtual:listings";
import { MODULES, type ModuleName } from "../../shared/steps.ts";
import { LabConnection } from "./labConnection.ts";
import { type ModuleView, moduleView, terminalLines } from "./labView.ts";
import { Listing, type LineTone } from "./Listing.tsx";
import { ModuleControls } from "./ModuleControls.tsx";
import { Notices } from "./Notices.tsx";
import { Terminal } from "./Terminal.tsx";

function useLabConnection(): LabConnection | null {
  const [connection, setConnection] = useState<LabConnection | null>(null);
  useEffect(() => {
    const created = new LabConnection();
    setConnection(created);
    return () => created.dispose();
  }, []);
  return connection;
}

const EMPTY = { status: "connecting", variant: "published", stepMode: false, events: [], notices: [] } as const;

export function toneOf(view: ModuleView): LineTone | undefined {
  const current = view.current;
  if (!current) return undefined;
  if (current.phase === "waiting") return "waiting";
  if (current.phase === "running") return "running";
  return current.result !== null && current.result < 0 ? "error" : "ok";
}

export function App() {
  const connection = useLabConnection();
  const snapshot = useSyncExternalStore(connection?.subscribe ?? noSubscribe, connection?.getSnapshot ?? (() => EMPTY));
  const { events, hello } = snapshot;
  const views = useMemo(
    () => Object.fromEntries(MODULES.map((m) => [m, moduleView(events, m)])) as Record<ModuleName, ModuleView>,
    [events],
  );
  const lines = useMemo(() => terminalLines(events), [events]);
  const lastPrinted = useMemo(() => lastPrintedLines(events), [events]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Kernel Socket Lab</h1>
        <p className="status" aria-live="polite">
          {snapshot.status === "open" ? "connected" : snapshot.status === "connecting" ? "connecting…" : "disconnected — reload to start a new lab"}
          {hello ? ` · your lab uses port ${hello.labPort}` : ""}
          {hello && hello.labPort !== hello.preferredPort && hello.preferredPort !== 0
            ? `; ${hello.preferredPort === 0x8888 ? "0x8888" : hello.preferredPort} is in use`
            : ""}
        </p>
      </header>
      <Notices notices={snapshot.notices} onDismiss={(id) => connection?.dismiss(id)} />
      <main className="modules">
        {MODULES.map((module) => {
          const view = views[module];
          const listing = listings[view.variant ?? snapshot.variant]?.[module];
          return (
            <section key={module} className="module" aria-label={`${module} module`}>
              <ModuleControls
                module={module}
                view={view}
                onLoad={() => connection?.send({ type: "module.load", module })}
                onUnload={() => connection?.send({ type: "module.unload", module })}
              />
              {listing ? (
                <Listing
                  label={`${module}.c`}
                  code={listing.cText}
                  language="c"
                  currentLine={view.current?.cLine}
                  tone={toneOf(view)}
                  printedLine={lastPrinted[module]}
                />
              ) : null}
            </section>
          );
        })}
      </main>
      <Terminal lines={lines} />
    </div>
  );
}

function lastPrintedLines(events: readonly import("../../shared/protocol.ts").LabEvent[]): Partial<Record<ModuleName, number>> {
  const printed: Partial<Record<ModuleName, number>> = {};
  for (const event of events) {
    if (event.type === "printk" && event.source !== "kernel" && event.cLine) printed[event.source] = event.cLine;
  }
  return printed;
}

function noSubscribe(): () => void {
  return () => {};
}
