import { useDefaultLayout } from "react-resizable-panels";

/** Storage that never throws: with storage off (private mode) a split lasts as long as the page. */
const storage = {
  getItem(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  setItem(key: string, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      // See above.
    }
  },
};

/** A split's sizes, remembered per browser under `ksl.layout.<id>` once the learner moves it. */
export function useRememberedLayout(id: string) {
  return useDefaultLayout({ id: `ksl.layout.${id}`, storage, onlySaveAfterUserInteractions: true });
}
