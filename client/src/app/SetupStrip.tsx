import { lazy, type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";
import listings from "virtual:listings";
import type { LabSnapshot } from "../connection/labConnection.ts";
import type { LabCommands } from "../connection/useLabCommands.ts";
import { OccupyPortButton } from "../controls/OccupyPortButton.tsx";
import { ResetLabButton } from "../controls/ResetLabButton.tsx";
import { VariantSwitch } from "../controls/VariantSwitch.tsx";
import { EngineSwitch, statusWords } from "../realKernel/EngineSwitch.tsx";
import { ReleasePicker } from "../releases/ReleasePicker.tsx";
import type { useKernelRelease } from "../releases/useKernelRelease.ts";
import { SetupOverflow } from "./SetupOverflow.tsx";

const ReleaseDiff = lazy(() =>
  import("../releases/ReleaseDiff.tsx").then((m) => ({ default: m.ReleaseDiff })),
);

export type SetupStripProps = {
  lab: Pick<LabSnapshot, "variant" | "stepMode" | "hello" | "port" | "engine">;
  commands: LabCommands;
  real: boolean;
  wide: boolean;
  kernel: ReturnType<typeof useKernelRelease>;
  /** Export and Open run, here on a phone (in the header on a wide screen). */
  runFile: ReactNode;
};

/** The setup strip: the listing, Reset and Occupy port, the engine, and the kernel menu. */
export function SetupStrip({ lab, commands, real, wide, kernel, runFile }: SetupStripProps) {
  const { t } = useTranslation();
  return (
    <>
      <VariantSwitch
        selected={lab.variant}
        available={Object.keys(listings) as (keyof typeof listings)[]}
        onSelect={commands.selectVariant}
      />
      <fieldset className="lab-controls">
        <legend className="visually-hidden">{t("labControls.group")}</legend>
        <ResetLabButton
          onReset={commands.resetLab}
          note={lab.stepMode && real ? t("stepMode.resetNote") : undefined}
        />
        <OccupyPortButton
          port={lab.hello?.labPort}
          occupied={lab.port?.occupied === true}
          onOccupy={commands.occupyPort}
          onFree={commands.freePort}
        />
      </fieldset>
      {wide ? null : runFile}
      <EngineSwitch
        status={lab.engine}
        variant={lab.variant}
        onSelect={commands.selectEngine}
        onRestart={commands.restartEngine}
      />
      <SetupOverflow
        wide={wide}
        label={t("header.kernelMenu", { series: kernel.release })}
        engineWords={statusWords(t, lab.engine)}
      >
        <ReleasePicker
          selected={kernel.release}
          here={lab.hello?.kernelReleases}
          onSelect={kernel.pick}
          edits={kernel.edits}
          onEdits={kernel.setEdits}
        />
        <Suspense fallback={null}>
          <ReleaseDiff variant={lab.variant} release={kernel.release} />
        </Suspense>
      </SetupOverflow>
    </>
  );
}
