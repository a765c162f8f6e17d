import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import listings from "virtual:listings";
import { MODULES, type ModuleName } from "../../shared/steps.ts";
import { LabConnection } from "./labConnection.ts";
import { type ModuleView, moduleView, terminalLines } from "./labView.ts";
import type { LineTone } from "./Listing.tsx";
import { ModuleCompare } from "./ModuleCompare.tsx";
import { ModuleControls } from "./ModuleControls.tsx";
import { EngineSwitch } from "./EngineSwitch.tsx";
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
      <EngineSwitch
        status={"engine" in snapshot ? snapshot.engine : undefined}
        variant={snapshot.variant}
        events={events}
        onSelect={(engine) => connection?.send({ type: "engine.select", engine })}
        onRestart={() => connection?.send({ type: "engine.restart" })}
      />
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
                <ModuleCompare
                  module={module}
                  listing={listing}
                  current={view.current}
                  tone={toneOf(view)}
                  printed={lastPrinted[module] ?? {}}
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

type PrintedLines = { cLine?: number; tsLine?: number };

function lastPrintedLines(events: readonly import("../../shared/protocol.ts").LabEvent[]): Partial<Record<ModuleName, PrintedLines>> {
  const printed: Partial<Record<ModuleName, PrintedLines>> = {};
  for (const event of events) {
    if (event.type === "printk" && event.source !== "kernel" && (event.cLine || event.tsLine)) {
      printed[event.source] = { cLine: event.cLine, tsLine: event.tsLine };
    }
  }
  return printed;
}

function noSubscribe(): () => void {
  return () => {};
}
