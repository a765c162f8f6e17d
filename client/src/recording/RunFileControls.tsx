import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import "./recording.css";
import {
  MAX_RUN_FILE_BYTES,
  type RunFile,
  type RunFileRefusal,
  readRunFile,
} from "../../../shared/protocol/runFile.ts";
import { readRunFileOffThread } from "./readRunFileOffThread.ts";
import { RefusalReason } from "./RefusalReason.tsx";
import { buildRecordInSlices, nextTask } from "./recordedRecord.ts";

export type RunFileControlsProps = {
  /** The text of the file "Export run" saves (the run on screen), built when pressed. */
  exportText: () => string;
  onOpen: (run: RunFile) => void;
};

const MIB = 1024 * 1024;

/**
 * "Export run" saves the run as a versioned JSON file; "Open run" (the file picker, or a file
 * dropped on these controls) loads one. A file that is not a valid run is refused with the reason,
 * and nothing changes.
 */
export function RunFileControls({ exportText, onOpen }: RunFileControlsProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [refusal, setRefusal] = useState<RunFileRefusal | null>(null);
  /** The run was too big to save as a file Open run would take (its size in bytes). */
  const [tooBigToSave, setTooBigToSave] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);

  const save = () => {
    const blob = new Blob([exportText()], { type: "application/json" });
    // A file Open run would refuse is not written: say so instead.
    if (blob.size > MAX_RUN_FILE_BYTES) return setTooBigToSave(blob.size);
    setTooBigToSave(null);
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `kernel-socket-lab-run-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    link.click();
    // The download has its own copy once started; the URL is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const open = async (file: File | undefined) => {
    if (!file) return;
    // The size is checked before a byte is read: an oversize file is never loaded into memory.
    // Read in a worker, the record built in slices: a 5 MiB file never holds the page's thread for long.
    const reading =
      file.size > MAX_RUN_FILE_BYTES ? readRunFile("", file.size) : await readRunFileOffThread(file);
    if (reading.ok) {
      await buildRecordInSlices(reading.run.events, nextTask);
      setRefusal(null);
      onOpen(reading.run);
    } else {
      setRefusal(reading);
    }
  };

  return (
    <fieldset
      className={`run-file${dragging ? " dragging" : ""}`}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void open(event.dataTransfer.files[0]);
      }}
    >
      <legend className="visually-hidden">{t("runFile.group")}</legend>
      <button type="button" onClick={save}>
        {t("runFile.export")}
      </button>
      <button type="button" aria-describedby={inputId} onClick={() => input.current?.click()}>
        {t("runFile.open")}
      </button>
      <input
        ref={input}
        id={inputId}
        className="visually-hidden"
        type="file"
        accept="application/json,.json"
        aria-label={t("runFile.pick")}
        tabIndex={-1}
        onChange={(event) => {
          void open(event.target.files?.[0]);
          event.target.value = "";
        }}
      />
      {tooBigToSave !== null ? (
        <p className="run-file-refusal" role="alert">
          {t("runFile.tooBigToSave", { size: (tooBigToSave / MIB).toFixed(1) })}{" "}
          <button type="button" onClick={() => setTooBigToSave(null)}>
            {t("notices.dismiss")}
          </button>
        </p>
      ) : null}
      {refusal ? (
        <p className="run-file-refusal" role="alert">
          {t("runFile.refused")} <RefusalReason refusal={refusal} />{" "}
          <button type="button" onClick={() => setRefusal(null)}>
            {t("notices.dismiss")}
          </button>
        </p>
      ) : null}
    </fieldset>
  );
}
