/** The page's own state in its URL (?step=…&lang=…&pace=…), so a link reopens the same view. */
export function readUrlParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** Sets (or, given undefined, removes) parameters and keeps every other one, without a new history entry. */
export function writeUrlParams(params: Readonly<Record<string, string | undefined>>): void {
  const url = new URL(location.href);
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}
