import { readdirSync, readlinkSync } from "node:fs";
import { startApp } from "./app.ts";
import { ConfigError, readConfig } from "./config.ts";
import { describeFdLimit, raiseFdLimit } from "./transport/fdLimit.ts";
import { stopBuilds } from "./realKernel/buildsInFlight.ts";
import { prepareGuestInBackground } from "./realKernel/guestArtifacts.ts";
import { seedCacheFromPrebuilt } from "./realKernel/prebuiltCache.ts";

// Before anything opens a descriptor: connections and lab sockets all count against it.
const fdLimit = raiseFdLimit();
let read: ReturnType<typeof readConfig>;
try {
  read = readConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Kernel Socket Lab cannot start: ${err.message}`);
  process.exit(1);
}
for (const warning of read.warnings) console.warn(warning);

const socketsBefore = openSockets();
const app = await startApp(read.config);
// An image's prebuilt modules and initramfs go into the cache first; what is missing is built now,
// in the background, so no learner waits for kbuild.
try {
  seedCacheFromPrebuilt();
} catch (err) {
  // A cache the app cannot write is a deployment mistake, not a reason to stay down: the Node lab
  // runs, and the real kernel says what fails when it is picked.
  console.warn(
    `warning: the prebuilt real-kernel guest was not copied into the cache: ${(err as Error).message}`,
  );
}
const preparing = prepareGuestInBackground();
// Tests and scripts that start the app with PORT=0 read the real address from this line.
console.log(`Kernel Socket Lab listening on ${app.url}`);
const { limits } = app;
console.log(
  `limits: ${describeFdLimit(fdLimit)}; connections ${limits.total} in all, ${limits.perAddress} per address; labs ${read.config.maxSessions} in all, ${limits.sessionsPerAddress} per address, ${limits.sessionsPerLearner} per learner; request headers within ${limits.headersTimeoutMs} ms`,
);
const { trustedProxies, drainSeconds } = read.config;
console.log(
  `proxies trusted: ${trustedProxies?.text || "none (X-Forwarded-For and Forwarded are ignored)"}; on SIGTERM labs get ${drainSeconds} s to finish`,
);

/** How long a killed background build may take to exit (and close its pipes) before the count. */
const BUILD_STOP_MS = 1000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Longer than app.close's grace for close handshakes, well inside the 5 s a supervisor allows. */
const FORCED_EXIT_MS = 4000;

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second signal while draining (an operator who will not wait): stop now.
      void app.close();
      return;
    }
    stopping = true;
    // SIGTERM is an orchestrator replacing this server: labs get DRAIN_SECONDS to finish.
    // SIGINT is someone at the terminal pressing Ctrl-C: they want it stopped now.
    const drainMs = signal === "SIGTERM" ? drainSeconds * 1000 : 0;
    // If a socket refuses to close, exit anyway rather than hang the supervisor; say it failed.
    setTimeout(() => process.exit(1), drainMs + FORCED_EXIT_MS).unref();
    const stopped = drainMs > 0 ? app.drain(drainSeconds) : app.close();
    // A background build still running ends with the labs (not before: a draining lab may need it);
    // its pipes are sockets too.
    const settled = stopped.then(() => {
      stopBuilds();
      return Promise.race([preparing, delay(BUILD_STOP_MS)]);
    });
    void settled.then(() => {
      // Said before exit, so a supervisor (or a test) can see no socket was left for exit to cut.
      console.log(
        `Kernel Socket Lab stopped (${signal}); sockets still open: ${openSockets() - socketsBefore}`,
      );
      process.exit(0);
    });
  });
}

/** Socket descriptors of this process, as the kernel lists them (Linux); stdio may be sockets too. */
function openSockets(): number {
  const fds = readdirSync("/proc/self/fd");
  return fds.filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith("socket:");
    } catch {
      return false;
    }
  }).length;
}
