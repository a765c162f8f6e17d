import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useClockTransport } from "../clock/useClockTransport.ts";
import { useDisplay, useDisplayClock } from "../clock/displayClock.ts";
import { TransportBar } from "../controls/TransportBar.tsx";
import { RecordedRunBanner } from "../recording/RecordedRunBanner.tsx";

/**
 * The transport beside the listings, on the display clock: the opened run's banner, a link's
 * pending moment, Step back / forward, the slider and Go to live.
 */
export function ShownTransport({ toolbar }: { toolbar: ReactNode }) {
  const { t } = useTranslation();
  const clock = useDisplayClock();
  const transport = useClockTransport();
  const paced = useDisplay((state) => state.paced);
  const past = useDisplay((state) => state.past);
  const views = useDisplay((state) => state.moment.modules);
  const recorded = useDisplay((state) => state.recorded);
  const linkedAt = useDisplay((state) => state.linkedAt);
  const linkedOutside = useDisplay((state) => state.linkedOutside);
  // A link's ?at=N: waiting for its run to be opened, or a moment the opened run does not have.
  const linked = recorded
    ? linkedOutside && t("runFile.atOutside", linkedOutside)
    : linkedAt !== null && t("runFile.atLink", { n: linkedAt });
  return (
    <>
      {recorded && clock ? <RecordedRunBanner run={recorded} onClose={clock.closeRun} /> : null}
      {linked ? (
        <p className="linked-at" role="status">
          {linked}
        </p>
      ) : null}
      <TransportBar
        events={paced}
        past={past}
        views={views}
        transport={transport}
        toolbar={toolbar}
        onPick={transport.pick}
        onLive={transport.live}
        recordedAt={recorded?.date}
      />
    </>
  );
}
