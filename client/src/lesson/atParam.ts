/**
 * The longest run a file can hold is a few hundred thousand events (5 MiB, at least ~15 bytes an
 * event): seven digits are more than any run's events.
 */
const AT = /^[1-9][0-9]{0,6}$/;

/**
 * `?at=N`: a moment of a recorded run, its event number written in plain decimal digits (1-based).
 * Anything else (1e308, 0x10, 1.0, " 5") is no moment; whether N is within the run is checked
 * when a run is opened.
 */
export function parseAt(value: string | null): number | null {
  return value !== null && AT.test(value) ? Number(value) : null;
}

/**
 * Where a run opened by a link's `?at=N` is shown: the position of its event N (null for its last
 * event, which is the live end of the run), or `outside` when the run has no event N: the link was
 * made for another run, and the run is shown at its end with that said, never at a moment it lacks.
 */
export function linkedMoment(at: number, events: number): { position: number | null } | "outside" {
  if (!Number.isInteger(at) || at < 1 || at > events) return "outside";
  return { position: at >= events ? null : at - 1 };
}
