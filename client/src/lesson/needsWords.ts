import type { TFunction } from "i18next";
import type { ModuleName } from "../../../shared/protocol/steps.ts";
import type { UnmetNeeds } from "./lessonNeeds.ts";

export type NeedsWords = {
  /** What Reset the lab fixes (a module loaded from before, the port held), with the hint to press it. */
  reset?: string;
  /** The state only a module's own buttons get to (its init running), and which to press, in order. */
  press?: string;
};

/**
 * The step's unmet needs in the reader's language. A state Reset cannot produce (the server
 * blocked in accept) is said with the very names of the buttons that get there.
 */
export function needsWords(t: TFunction, unmet: UnmetNeeds, port: number | undefined): NeedsWords {
  const names = (modules: readonly ModuleName[]) =>
    modules.map((module) => t(`module.${module}.name`)).join(t("lesson.needs.and"));
  const resetParts: string[] = [];
  if (unmet.loaded.length > 0)
    resetParts.push(t("lesson.needs.loaded", { count: unmet.loaded.length, modules: names(unmet.loaded) }));
  if (unmet.portHeld) resetParts.push(t("lesson.needs.portHeld", { port }));
  const gap = t("lesson.needs.sentenceGap");
  const words: NeedsWords = {};
  if (resetParts.length > 0) words.reset = [...resetParts, t("lesson.needs.reset")].join(gap);
  const running = [...unmet.toRestart, ...unmet.toStart];
  if (running.length > 0) {
    const buttons = [
      ...unmet.toRestart.map((module) =>
        t("lesson.needs.stopThenStart", {
          stop: t("module.stop", { name: t(`module.${module}.name`) }),
          start: t("module.start", { name: t(`module.${module}.name`) }),
        }),
      ),
      ...unmet.toStart.map((module) => t("module.start", { name: t(`module.${module}.name`) })),
    ];
    words.press = [
      t("lesson.needs.initRunning", { count: running.length, modules: names(running) }),
      t("lesson.needs.press", { buttons: buttons.join(t("lesson.needs.andThen")) }),
    ].join(gap);
  }
  return words;
}
