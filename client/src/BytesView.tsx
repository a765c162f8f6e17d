import { useMemo } from "react";
import { hexdumpText } from "../../shared/hexdump.ts";
import { formatDmesg } from "../../shared/printk.ts";
import { LOG_LINE_MAX } from "../../shared/printkRecord.ts";
import type { Received } from "./receivedBytes.ts";

export type BytesViewProps = { received: Received | undefined };

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\t": "\\t", '"': '\\"', "\\": "\\\\" };

function cLiteral(format: string): string {
  return `"${format.replace(/[\n\t"\\]/g, (c) => C_ESCAPES[c] ?? c)}"`;
}

/** "1024 × 0x01" for a run of one byte value, else the count. */
function describeBytes(bytes: Uint8Array): string {
  const first = bytes[0];
  if (first !== undefined && bytes.every((b) => b === first)) return `${bytes.length} bytes, all 0x${first.toString(16).padStart(2, "0")}`;
  return `${bytes.length} bytes`;
}

function PrintedExplanation({ received }: { received: Received }) {
  const printed = received.printed;
  if (!printed) return null;
  const { record, format } = printed;
  return (
    <div className="bytes-printk">
      <h3>
        What <code>printk({cLiteral(format)}, …)</code> on line {printed.cLine} makes of them
      </h3>
      <ul>
        {record.readPastEnd ? (
          <li>
            <strong>No NUL inside the buffer.</strong> None of the {received.length} received bytes is 0
            {received.length < received.bufferSize ? ", and the rest of recvbuf was never initialised" : ` and they fill all ${received.bufferSize} bytes of recvbuf`}
            , so <code>%s</code> does not stop inside it: the real kernel's vsnprintf reads on past the end of the buffer, into
            whatever memory follows, until it meets a 0 byte. That read is undefined behaviour; the lab does not emulate reading
            random memory and stops at the end of what it received.
          </li>
        ) : (
          <li>
            The text stops where it should: {format.includes("%.*s") ? "%.*s prints exactly the byte count received" : "a 0 byte ends %s inside the buffer"}
            .
          </li>
        )}
        <li>
          <strong>One record holds at most {LOG_LINE_MAX - 1} bytes of text.</strong> vprintk_store() reserves at most LOG_LINE_MAX ={" "}
          {LOG_LINE_MAX} bytes, NUL included (Linux 6.1 as Debian 12 builds it).{" "}
          {record.cut
            ? `This text is longer, so the record keeps its first ${record.text.length} bytes${format.endsWith("\n") ? " and loses the format's final newline" : ""}.`
            : record.unknownTail
              ? "Where this record ends depends on memory the lab cannot know."
              : `This one is ${record.text.length} bytes and fits.`}{" "}
          The lab's printk pane keeps the same cut, so it shows the record the kernel would store.
        </li>
        <li>
          <strong>How dmesg shows it.</strong> /dev/kmsg escapes every byte below 0x20 or from 0x7f up as <code>\xNN</code>; util-linux
          dmesg decodes them and escapes again whatever is neither printable nor white space, so each 0x01 reads <code>\x01</code> and the
          newline starts an indented line. The lab's printk pane writes 0x01 as <code>^A</code> instead.
        </li>
      </ul>
      <details className="bytes-dmesg-details">
        <summary>
          How dmesg would print this record ({record.text.length} bytes{record.unknownTail ? ", then unknown bytes" : ""})
        </summary>
        <pre className="bytes-dmesg">{formatDmesg(printed.t, printed.dmesg)}</pre>
      </details>
    </div>
  );
}

/**
 * The bytes kernel_recvmsg really received in this run, as `hexdump -C` shows them, and what the
 * listing's printk does with them on a real kernel: where %s stops (or does not), the record size
 * limit, and dmesg's escaping.
 */
export function BytesView({ received }: BytesViewProps) {
  const dump = useMemo(() => (received ? hexdumpText(received.bytes) : ""), [received]);
  return (
    <section className="truth-pane bytes-view" aria-label="Bytes received">
      <h2 className="pane-title">Bytes received — kernel_recvmsg's buffer</h2>
      {received ? (
        <>
          <p className="truth-note">
            kernel_recvmsg (line {received.cLine}, {received.variant === "fixed" ? "fixed listing" : "as published"}) returned{" "}
            {received.length}: {describeBytes(received.bytes)}
            {received.bytes.length < received.length ? ` (the first ${received.bytes.length} are shown)` : ""}, into a{" "}
            {received.bufferSize}-byte buffer.
          </p>
          <figure className="bytes-figure">
            <figcaption>
              <code>hexdump -C</code> of the received bytes
            </figcaption>
            <pre className="hexdump">{dump}</pre>
          </figure>
          <PrintedExplanation received={received} />
        </>
      ) : (
        <p className="truth-note">Nothing received yet: run the server, then the client.</p>
      )}
    </section>
  );
}
