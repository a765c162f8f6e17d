import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { type RunFileReading, readRunFileInSlices } from "../../../shared/protocol/runFile.ts";
import { nextTask } from "./recordedRecord.ts";

/** What the run file worker says: a batch of the file's events, then the reading (its events sent before). */
export type RunFileWorkerReply =
  | { type: "events"; events: LabEvent[] }
  | { type: "done"; reading: RunFileReading };

/**
 * Reads a run file in a worker (runFileWorker.ts), so its parsing and checking never hold the
 * page's thread; where there is no Worker, in slices on the page's thread. Never throws: a worker
 * that fails says so as a malformed file. The worker ends with the reading.
 */
export function readRunFileOffThread(file: File): Promise<RunFileReading> {
  if (typeof Worker === "undefined")
    return file.text().then((text) => readRunFileInSlices(text, file.size, nextTask));
  const worker = new Worker(new URL("./runFileWorker.ts", import.meta.url), { type: "module" });
  const events: LabEvent[] = [];
  return new Promise<RunFileReading>((resolve) => {
    worker.onmessage = ({ data }: MessageEvent<RunFileWorkerReply>) => {
      if (data.type === "events") {
        for (const event of data.events) events.push(event);
        return;
      }
      worker.terminate();
      const { reading } = data;
      resolve(reading.ok ? { ok: true, run: { ...reading.run, events } } : reading);
    };
    worker.onerror = (error) => {
      worker.terminate();
      resolve({ ok: false, reason: "malformed", detail: error.message || "the file could not be read" });
    };
    worker.postMessage(file);
  });
}
