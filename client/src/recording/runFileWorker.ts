/**
 * Reads an opened run file off the page's thread: the text's decoding, JSON.parse of up to 5 MiB
 * and the schema's check of every event (seconds on a busy machine, in pieces no task could be
 * cut into) run here. The events go back in batches, each a small message for the page to take.
 */
import type { LabEvent } from "../../../shared/protocol/messages.ts";
import { readRunFile } from "../../../shared/protocol/runFile.ts";
import type { RunFileWorkerReply } from "./readRunFileOffThread.ts";

/**
 * Events a message carries: the page takes each batch in a task of its own, and cloning 2,000 in
 * one task cost a 190 ms collection of the young heap at load 20.
 */
const BATCH = 500;

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<File>) => void) | null;
  postMessage: (reply: RunFileWorkerReply) => void;
};

scope.onmessage = async ({ data: file }) => {
  const reading = readRunFile(await file.text(), file.size);
  if (!reading.ok) return scope.postMessage({ type: "done", reading });
  const events: LabEvent[] = reading.run.events;
  for (let i = 0; i < events.length; i += BATCH)
    scope.postMessage({ type: "events", events: events.slice(i, i + BATCH) });
  scope.postMessage({ type: "done", reading: { ok: true, run: { ...reading.run, events: [] } } });
};
