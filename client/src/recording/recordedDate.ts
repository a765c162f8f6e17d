/**
 * A recorded run's date in the page's language, as Date#toLocaleString writes it. The first
 * formatter a page makes loads the browser's locale data (~170 ms); `prepareDateFormat` makes it in
 * a task of its own while a file is read, so it is not paid in the task that shows the run.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export function prepareDateFormat(language: string): Intl.DateTimeFormat {
  let format = formats.get(language);
  if (!format) {
    // Date#toLocaleString's own defaults: numeric date and time.
    format = new Intl.DateTimeFormat(language, {
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(language, format);
  }
  return format;
}

export function formatRecordedDate(date: string, language: string): string {
  return prepareDateFormat(language).format(new Date(date));
}
