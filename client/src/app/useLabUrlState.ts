import { useEffect, useState } from "react";
import { ENGINES, type Engine } from "../../../shared/protocol/engineMessages.ts";
import { VARIANTS, type Variant } from "../../../shared/protocol/steps.ts";
import type { LabConnection, LabSnapshot } from "../connection/labConnection.ts";
import { readUrlParam, writeUrlParams } from "./urlState.ts";

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

/**
 * The listing variant and the engine in the URL (?variant=fixed&engine=real-kernel). A link
 * restores them once the lab says hello, as the learner's clicks would; it loads no module, so a
 * link never restores a running lab. From then on the URL follows the lab's settings.
 */
export function useLabUrlState(snapshot: LabSnapshot, connection: LabConnection | null): void {
  const [restored, setRestored] = useState(false);
  const engine: Engine = snapshot.engine?.engine ?? "node";

  useEffect(() => {
    if (!snapshot.hello || !connection || restored) return;
    setRestored(true);
    const variant: Variant | undefined = oneOf(VARIANTS, readUrlParam("variant"));
    if (variant && variant !== snapshot.hello.variant) connection.send({ type: "variant.select", variant });
    const wanted = oneOf(ENGINES, readUrlParam("engine"));
    if (wanted && wanted !== "node") connection.send({ type: "engine.select", engine: wanted });
  }, [snapshot.hello, connection, restored]);

  useEffect(() => {
    if (restored) writeUrlParams({ variant: snapshot.variant });
  }, [restored, snapshot.variant]);

  useEffect(() => {
    if (restored) writeUrlParams({ engine });
  }, [restored, engine]);
}
