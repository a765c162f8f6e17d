import { describe, expect, it } from "vitest";
import { EngineSwitch } from "../client/src/realKernel/EngineSwitch.tsx";
import { ReleasePicker } from "../client/src/releases/ReleasePicker.tsx";
import { releaseOptions } from "../client/src/releases/releaseGroups.ts";
import { ServerEventSchema, type ServerEventOf } from "../shared/protocol/messages.ts";
import { renderedText } from "./helpers/renderedText.tsx";

const HERE = [
  { series: "5.10", release: "5.10.0-46-cloud-amd64", boots: false },
  { series: "6.12", release: "6.12.118+deb12-cloud-amd64", boots: true },
];

/** What the engine sends once both listings built against 5.10's headers (engine.ts, buildListingsOnly). */
const built = ServerEventSchema.parse({
  type: "engine",
  engine: "real-kernel",
  status: "built",
  kernelRelease: "5.10.0-46-cloud-amd64",
  series: "5.10",
  releases: HERE,
  installCommand: "LAB_KERNELS=5.10 bash scripts/install-real-kernel.sh",
  ms: 12_345,
}) as ServerEventOf<"engine">;

describe("a release built here but not booted (its headers without its image)", () => {
  it("is grouped under Built here in the picker, and one with its image under Built and run here", () => {
    const options = releaseOptions(HERE);
    expect(options.find((o) => o.series === "5.10")?.group).toBe("builds");
    expect(options.find((o) => o.series === "6.12")?.group).toBe("runs");
  });

  it("says in the picker, in both languages, that it is built here but not booted", () => {
    const picker = (language: "en" | "zh") =>
      renderedText(
        language,
        <ReleasePicker selected="5.10" here={HERE} onSelect={() => {}} edits onEdits={() => {}} />,
      );
    expect(picker("en")).toContain(
      "Linux 5.10 is built here against its real headers, but its image is not on this machine: it is not booted.",
    );
    expect(picker("zh")).toContain("Linux 5.10 在此用它真实的头文件编译");
  });

  it("has the engine say both listings built, that it cannot boot here, and the command that adds its image", () => {
    const en = renderedText(
      "en",
      <EngineSwitch status={built} variant="fixed" onSelect={() => {}} onRestart={() => {}} />,
    );
    expect(en).toContain(
      "Real kernel 5.10.0-46-cloud-amd64: both listings built against its real headers (in 12.3 s). It cannot boot here: its image is not on this machine.",
    );
    expect(en).toContain(
      "To run them, add its image with LAB_KERNELS=5.10 bash scripts/install-real-kernel.sh (as root), then pick the release again.",
    );
    const zh = renderedText(
      "zh",
      <EngineSwitch status={built} variant="fixed" onSelect={() => {}} onRestart={() => {}} />,
    );
    expect(zh).toContain("它无法在此启动");
    expect(zh).toContain("LAB_KERNELS=5.10 bash scripts/install-real-kernel.sh");
  });
});
