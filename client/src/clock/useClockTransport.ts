import { type Transport, useTransport } from "../controls/useTransport.ts";
import { useDisplay, useDisplayClock } from "./displayClock.ts";

const nothing = () => {};

/** Step back, Step forward and Go to live over what the display clock holds (the keys and the buttons share it). */
export function useClockTransport(): Transport & { live: () => void; pick: (position: number) => void } {
  const clock = useDisplayClock();
  const paced = useDisplay((state) => state.paced);
  const past = useDisplay((state) => state.past);
  const pick = clock?.viewPast ?? nothing;
  const live = clock?.backToLive ?? nothing;
  return { ...useTransport(paced, past, pick, live), live, pick };
}
