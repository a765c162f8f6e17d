import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { cachedGccBuild } from "../cachedGccBuild.ts";

const SOURCE = fileURLToPath(new URL("./callTracer.c", import.meta.url));
const HEADER = fileURLToPath(new URL("./qemuPluginApi.h", import.meta.url));
/** How long a QEMU may take to start with the plugin and answer it. */
const PROBE_MS = 10_000;

/** The plugin for each QEMU binary, or why that QEMU cannot run it: found out once per process. */
const forQemu = new Map<string, Promise<string>>();

/**
 * The call tracer, a QEMU TCG plugin (callTracer.c), for the QEMU at `qemu`: built once per source
 * with the host's gcc into the lab's cache, then tried in that QEMU once (a QEMU with another
 * plugin API, bookworm's 7.2, refuses it and would not boot the VM). Rejects with the reason when
 * it cannot be built or loaded: the engine then traces through the gdbstub alone.
 */
export function callTracerPlugin(qemu: string): Promise<string> {
  let plugin = forQemu.get(qemu);
  if (!plugin) {
    plugin = build().then((path) => probe(qemu, path));
    plugin.catch(() => {});
    forQemu.set(qemu, plugin);
  }
  return plugin;
}

function build(): Promise<string> {
  return cachedGccBuild({
    name: "call-tracer.so",
    what: "the QEMU call-tracer plugin",
    source: readFileSync(SOURCE, "utf8"),
    headers: { dir: dirname(HEADER), text: readFileSync(HEADER, "utf8") },
    flags: ["-shared", "-fPIC", "-O2", "-fvisibility=hidden"],
    libraries: ["-lpthread"],
  });
}

/** Starts `qemu` with the plugin and no machine, and waits for the plugin to answer a command. */
function probe(qemu: string, plugin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      qemu,
      [
        "-machine",
        "none",
        "-accel",
        "tcg",
        "-display",
        "none",
        "-monitor",
        "none",
        "-nodefaults",
        "-S",
      ].concat(["-plugin", `${plugin},fd=3`]),
      { stdio: ["ignore", "ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      socket.destroy();
      if (error) reject(error);
      else resolve(plugin);
    };
    const timer = setTimeout(
      () => finish(new Error(`QEMU did not answer through the plugin in ${PROBE_MS} ms`)),
      PROBE_MS,
    );
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (err) => finish(err));
    child.on("exit", () => finish(new Error(stderr.trim().split("\n")[0] || "QEMU exited at once")));
    const socket = child.stdio[3] as Duplex;
    socket.on("error", () => {});
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      if (chunk.includes("ok 0\n")) finish();
    });
    socket.write("report 0 off\n");
  });
}
