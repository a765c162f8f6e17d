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
