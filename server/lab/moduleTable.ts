import type { ModuleName, Variant } from "../../shared/protocol/steps.ts";
import type { LabModule } from "./kernelApi.ts";
import { clientModule as fixedClient } from "./fixed/clientModule.ts";
import { serverModule as fixedServer } from "./fixed/serverModule.ts";
import { clientModule } from "./published/clientModule.ts";
import { serverModule } from "./published/serverModule.ts";

/** The runnable modules of each listing. A variant listed here must also have its sources on disk. */
export const MODULE_IMPLS: Partial<Record<Variant, Record<ModuleName, LabModule>>> = {
  published: { server: serverModule, client: clientModule },
  fixed: { server: fixedServer, client: fixedClient },
};
