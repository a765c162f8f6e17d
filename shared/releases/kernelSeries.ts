/**
 * The kernel releases the lab names, by series ("6.12"), grouped as Compiler Explorer groups its
 * compilers: what is built and run here, what is only built here, and history (listings and
 * diffs only). Whether a release is built or run HERE is the server's to say (what the install
 * script unpacked); this table says what each series is and which group it belongs to when it is.
 */
export type ReleaseGroup = "runs" | "builds" | "history";

export type KernelSeries = {
  /** "6.12": major.minor, the name the picker, the URL and an exported run carry. */
  name: string;
  /** Where Debian ships it, for the releases this machine can fetch. */
  debian?: string;
  /** The group when the server has its image and headers (else "history"). */
  group: ReleaseGroup;
};

export const KERNEL_SERIES: readonly KernelSeries[] = [
  { name: "2.6.32", group: "history" },
  { name: "3.10", group: "history" },
  { name: "4.2", group: "history" },
  { name: "4.11", group: "history" },
  { name: "4.16", group: "history" },
  { name: "5.8", group: "history" },
  { name: "5.10", debian: "bullseye", group: "builds" },
  { name: "6.1", debian: "bookworm", group: "runs" },
  { name: "6.12", debian: "bookworm (linux-image-6.12-cloud-amd64)", group: "runs" },
  { name: "6.19", group: "history" },
  { name: "7.3", debian: "trixie-backports", group: "builds" },
];

/** The series the lab's listings were ported to first and the engine boots when none is picked. */
export const DEFAULT_SERIES = "6.1";

/** "6.12.118+deb12-cloud-amd64" → "6.12"; "2.6.32" → "2.6.32" (the 2.6 era had three numbers). */
export function seriesOf(release: string): string {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!match) return release;
  return match[1] === "2" && match[3] ? `2.${match[2]}.${match[3]}` : `${match[1]}.${match[2]}`;
}

/** Orders two release names by version: negative when `a` came first. */
export function compareReleases(a: string, b: string): number {
  const parts = (r: string) => (/^[\d.]+/.exec(r)?.[0] ?? "0").split(".").filter(Boolean).map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function isKnownSeries(name: string): boolean {
  return KERNEL_SERIES.some((s) => s.name === name);
}
