import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ServerEventOf } from "../../../shared/protocol/messages.ts";

/** "6.1.0-57-cloud-amd64" → "6.1": the version a learner recognises. */
function shortRelease(release: string | undefined): string {
  return /^(\d+\.\d+)/.exec(release ?? "")?.[1] ?? "";
}

/**
 * What the real kernel is doing before a module can load, in words the module's state shows
 * instead of "not loaded": "building modules…", "waiting for a VM (2nd in line)", "booting Linux
 * 6.1 — 1.4 s" (counted on this page from the moment the boot was announced). Undefined once the
 * VM is up, and for the Node lab.
 */
export function useEngineProgress(engine: ServerEventOf<"engine"> | undefined): string | undefined {
  const { t } = useTranslation();
  const booting = engine?.engine === "real-kernel" && engine.status === "booting";
  const [since, setSince] = useState<number | undefined>();
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!booting) return setSince(undefined);
    setSince(performance.now());
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [booting]);
  if (engine?.engine !== "real-kernel") return undefined;
  switch (engine.status) {
    case "building":
      return t("engine.progress.building");
    case "queued":
      return t("engine.progress.queued", { position: engine.position ?? 1 });
    case "booting": {
      const seconds = since === undefined ? 0 : Math.max(0, (now - since) / 1000);
      return t("engine.progress.booting", {
        release: shortRelease(engine.kernelRelease),
        seconds: seconds.toFixed(1),
      });
    }
    default:
      return undefined;
  }
}
