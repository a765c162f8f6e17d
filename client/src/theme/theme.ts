import { useCallback, useSyncExternalStore } from "react";

export type Theme = "light" | "dark";

const STORAGE_KEY = "ksl.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

function stored(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

/** The learner's choice if they made one, else what the system asks for. */
export function preferredTheme(): Theme {
  return stored() ?? (window.matchMedia(DARK_QUERY).matches ? "dark" : "light");
}

/** The theme on <html data-theme>: the stylesheets' variables follow it (theme/tokens.css). */
export function applyTheme(theme: Theme = preferredTheme()): void {
  document.documentElement.dataset.theme = theme;
}

const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  // Until the learner picks one, the page follows the system's switch as it happens.
  const system = window.matchMedia(DARK_QUERY);
  const onSystem = () => {
    if (stored() === null) {
      applyTheme();
      onChange();
    }
  };
  system.addEventListener("change", onSystem);
  return () => {
    listeners.delete(onChange);
    system.removeEventListener("change", onSystem);
  };
}

function shownTheme(): Theme {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

/** The theme shown, and a setter that remembers the choice in this browser. */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const theme = useSyncExternalStore(subscribe, shownTheme);
  const setTheme = useCallback((next: Theme) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage may be off (private mode): the choice then lasts as long as the page.
    }
    applyTheme(next);
    for (const listener of listeners) listener();
  }, []);
  return [theme, setTheme];
}
