/**
 * `hexdump -C` (util-linux): offset, 16 bytes in hex in two groups of 8, the same bytes as ASCII
 * with "." for anything unprintable; a run of lines equal to the one before is shown once as "*",
 * and a last line gives the total length. Used to show the bytes a lab call really moved.
 */
export type HexdumpLine =
  | { kind: "bytes"; offset: number; hex: string; ascii: string }
  | { kind: "repeat" }
  | { kind: "end"; offset: number };

function offsetText(offset: number): string {
  return offset.toString(16).padStart(8, "0");
}

function hexOf(row: Uint8Array): string {
  const cells = Array.from({ length: 16 }, (_, i) =>
    i < row.length ? (row[i] as number).toString(16).padStart(2, "0") : "  ",
  );
  return `${cells.slice(0, 8).join(" ")}  ${cells.slice(8).join(" ")}`;
}

function asciiOf(row: Uint8Array): string {
  return Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
}

export function hexdumpLines(bytes: Uint8Array): HexdumpLine[] {
  const lines: HexdumpLine[] = [];
  let previous: Uint8Array | undefined;
  let squeezing = false;
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const same = previous !== undefined && row.length === 16 && previous.every((b, i) => b === row[i]);
    if (same) {
      if (!squeezing) lines.push({ kind: "repeat" });
      squeezing = true;
    } else {
      lines.push({ kind: "bytes", offset, hex: hexOf(row), ascii: asciiOf(row) });
      squeezing = false;
    }
    previous = row;
  }
  if (bytes.length > 0) lines.push({ kind: "end", offset: bytes.length });
  return lines;
}

/** The lines as `hexdump -C` prints them. */
export function hexdumpText(bytes: Uint8Array): string {
  return hexdumpLines(bytes)
    .map((line) => {
      if (line.kind === "repeat") return "*";
      if (line.kind === "end") return offsetText(line.offset);
      // hexdump pads a short last line's hex column, then closes the ASCII column right after its bytes.
      return `${offsetText(line.offset)}  ${line.hex.padEnd(48, " ")}  |${line.ascii}|`;
    })
    .join("\n");
}
