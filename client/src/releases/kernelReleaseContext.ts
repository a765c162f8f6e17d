import { createContext } from "react";
import { DEFAULT_SERIES } from "../../../shared/releases/kernelSeries.ts";

/** The kernel release the learner picked: views that state a release's facts read it. */
export const KernelReleaseContext = createContext<string>(DEFAULT_SERIES);

/** Whether the picked release's edits are applied: the listings show what is built either way. */
export const ReleaseEditsContext = createContext<boolean>(true);
