import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedGccBuild } from "../cachedGccBuild.ts";

const SOURCE = fileURLToPath(new URL("./callTracer.c", import.meta.url));
const HEADER = fileURLToPath(new URL("./qemuPluginApi.h", import.meta.url));

let plugin: Promise<string> | undefined;

/**
 * The call tracer, a QEMU TCG plugin (callTracer.c), built once per source with the host's gcc
 * and cached in the lab's cache. Rejects when it cannot be built: the engine then traces through
 * the gdbstub alone, as before the plugin.
 */
export function callTracerPlugin(): Promise<string> {
  plugin ??= cachedGccBuild({
    name: "call-tracer.so",
    what: "the QEMU call-tracer plugin",
    source: readFileSync(SOURCE, "utf8"),
    headers: { dir: dirname(HEADER), text: readFileSync(HEADER, "utf8") },
    flags: ["-shared", "-fPIC", "-O2", "-fvisibility=hidden"],
    libraries: ["-lpthread"],
  });
  plugin.catch(() => {
    plugin = undefined;
  });
  return plugin;
}
