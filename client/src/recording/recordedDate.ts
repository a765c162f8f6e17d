/**
 * A recorded run's date, in the page's local time, written as ISO 8601 writes it
 * ("2026-12-07 13:05:09"), the same in every language. Not Intl.DateTimeFormat: the first formatter a
 * page makes loads the browser's locale data, one task of 100–450 ms on a busy machine, which the
 * page paid while opening a run (issue 28's longest task).
 */
export function formatRecordedDate(date: string): string {
  const at = new Date(date);
  if (Number.isNaN(at.getTime())) return date;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}
