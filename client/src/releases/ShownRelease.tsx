import type { ReactNode } from "react";
import { KernelReleaseContext, ReleaseEditsContext } from "./kernelReleaseContext.ts";

/** The release the views show (the live pick, or an opened run's) and whether its edits are applied. */
export function ShownRelease({
  release,
  edits,
  children,
}: {
  release: string;
  edits: boolean;
  children: ReactNode;
}) {
  return (
    <KernelReleaseContext value={release}>
      <ReleaseEditsContext value={edits}>{children}</ReleaseEditsContext>
    </KernelReleaseContext>
  );
}
