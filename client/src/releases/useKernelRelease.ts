import { useCallback, useEffect, useRef, useState } from "react";
import { DEFAULT_SERIES, isKnownSeries } from "../../../shared/releases/kernelSeries.ts";
import { readUrlParam, writeUrlParams } from "../app/urlState.ts";
import type { LabConnection, LabSnapshot } from "../connection/labConnection.ts";

/**
 * The kernel release the learner picked, carried by the URL (?release=6.12) and told to the
 * server on every hello (a reconnected session starts at the default again).
 */
export function useKernelRelease(
  snapshot: LabSnapshot,
  connection: LabConnection | null,
): { release: string; pick: (series: string) => void } {
  const [picked, setPicked] = useState<string | undefined>(() => {
    const fromUrl = readUrlParam("release");
    return fromUrl && isKnownSeries(fromUrl) ? fromUrl : undefined;
  });

  // Only a new hello (a new session) needs telling again; a pick tells it itself.
  const pickedNow = useRef(picked);
  pickedNow.current = picked;
  useEffect(() => {
    const release = pickedNow.current;
    if (snapshot.hello && connection && release) connection.send({ type: "kernel.release", release });
  }, [snapshot.hello, connection]);

  const pick = useCallback(
    (series: string) => {
      setPicked(series);
      writeUrlParams({ release: series });
      connection?.send({ type: "kernel.release", release: series });
    },
    [connection],
  );
  return { release: picked ?? DEFAULT_SERIES, pick };
}
