import type { MemoryReader } from "../gdb/callFrameReader.ts";

/**
 * Guest memory as the call tracer read it at one instruction: the ranges it copied, served to the
 * same decoding the gdbstub's reads go through (callFrameReader.ts). A read outside what was
 * copied fails as a read of a bad pointer does on the stub: the decoding shows the word alone.
 */
export class GuestMemorySnapshot implements MemoryReader {
  /** Each range is read on its own: nothing lies between two copied ranges to read as one span. */
  readonly mergesReads = false;

  constructor(private readonly ranges: readonly { at: bigint; bytes: Buffer }[]) {}

  readMemory(at: bigint, length: number): Promise<Buffer> {
    const bytes = this.slice(at, length);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`not copied: ${at.toString(16)}`));
  }

  /** `length` bytes at `at`, if one copied range holds them all. */
  slice(at: bigint, length: number): Buffer | undefined {
    for (const range of this.ranges) {
      const from = at - range.at;
      if (from < 0n || from + BigInt(length) > BigInt(range.bytes.length)) continue;
      return range.bytes.subarray(Number(from), Number(from) + length);
    }
    return undefined;
  }
}
