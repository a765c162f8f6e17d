import { createContext } from "react";
import { DEFAULT_SERIES } from "../../../shared/releases/kernelSeries.ts";

/** The kernel release the learner picked: views that state a release's facts read it. */
export const KernelReleaseContext = createContext<string>(DEFAULT_SERIES);
