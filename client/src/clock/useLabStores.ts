import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import {
  INITIAL_SNAPSHOT,
  type LabConnection,
  type LabSnapshot,
  takeConnection,
} from "../connection/labConnection.ts";
import { readUrlParam } from "../app/urlState.ts";
import { parseAt } from "../lesson/atParam.ts";
import { DEFAULT_PACE, isPace } from "../lesson/pacing.ts";
import { DisplayClock } from "./displayClock.ts";

/** The page's two stores: the lab's connection (its event record and settings) and the display clock beside it. */
export type LabStores = { connection: LabConnection; clock: DisplayClock };

/**
 * Takes the connection opened before the first render and sets the display clock beside it, with
 * the pace and the moment the URL names; both are disposed with the page.
 */
export function useLabStores(): LabStores | null {
  const [stores, setStores] = useState<LabStores | null>(null);
  // Read in the first render: the views' effects, which run before this hook's, write the URL.
  const [fromUrl] = useState(() => {
    const pace = readUrlParam("pace");
    return {
      pace: isPace(pace) ? pace : DEFAULT_PACE,
      // A link's ?at= is a moment of a recorded run: it applies to the first run opened, never to the live lab.
      linkedAt: parseAt(readUrlParam("at")),
    };
  });
  useEffect(() => {
    const connection = takeConnection();
    const clock = new DisplayClock(connection, fromUrl);
    setStores({ connection, clock });
    return () => {
      clock.dispose();
      connection.dispose();
    };
  }, [fromUrl]);
  return stores;
}

const noSubscribe = () => () => {};

/**
 * The lab's settings, status and side lists (hello, variant, step mode, notices, engine, port,
 * system calls, the learner's build) without its events: the same object while only events arrive,
 * so the layout does not redraw per event. Views that show events read the display clock.
 */
export function useLabSettings(connection: LabConnection | null): LabSnapshot {
  const last = useRef<LabSnapshot>(INITIAL_SNAPSHOT);
  const read = (): LabSnapshot => {
    const now = connection?.getSnapshot() ?? INITIAL_SNAPSHOT;
    const was = last.current;
    const same = (Object.keys(now) as (keyof LabSnapshot)[]).every(
      (key) => key === "length" || key === "start" || now[key] === was[key],
    );
    if (!same) last.current = now;
    return last.current;
  };
  return useSyncExternalStore(connection?.subscribe ?? noSubscribe, read);
}
