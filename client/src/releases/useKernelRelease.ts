import { useCallback, useEffect, useRef, useState } from "react";
import { DEFAULT_SERIES, isKnownSeries } from "../../../shared/releases/kernelSeries.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";
import type { LabConnection, LabSnapshot } from "../connection/labConnection.ts";

type Choice = { release: string | undefined; edits: boolean };

/**
 * The kernel release the learner picked, and whether its edits are applied, carried by the URL
 * (?release=6.12&edits=off) and told to the server on every hello (a reconnected session starts
 * at the default again).
 */
export function useKernelRelease(
  snapshot: LabSnapshot,
  connection: LabConnection | null,
): { release: string; edits: boolean; pick: (series: string) => void; setEdits: (on: boolean) => void } {
  const [choice, setChoice] = useState<Choice>(() => {
    const fromUrl = readUrlParam("release");
    return {
      release: fromUrl && isKnownSeries(fromUrl) ? fromUrl : undefined,
      edits: readUrlParam("edits") !== "off",
    };
  });

  // Only a new hello (a new session) needs telling again; a choice tells it itself.
  const now = useRef(choice);
  now.current = choice;
  useEffect(() => {
    const { release, edits } = now.current;
    if (snapshot.hello && connection && (release || !edits))
      connection.send({ type: "kernel.release", release: release ?? DEFAULT_SERIES, edits });
  }, [snapshot.hello, connection]);

  const choose = useCallback(
    (next: Choice) => {
      setChoice(next);
      writeUrlParams({ release: next.release, edits: next.edits ? undefined : "off" });
      connection?.send({
        type: "kernel.release",
        release: next.release ?? DEFAULT_SERIES,
        edits: next.edits,
      });
    },
    [connection],
  );
  return {
    release: choice.release ?? DEFAULT_SERIES,
    edits: choice.edits,
    pick: (series) => choose({ ...now.current, release: series }),
    setEdits: (on) => choose({ ...now.current, edits: on }),
  };
}
