import { readFileSync } from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type AppProcess, spawnAppWith } from "./helpers/appProcess.ts";
import { LabClient } from "./helpers/labClient.ts";

const scripts = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
  .scripts as Record<string, string>;

let npm: AppProcess | undefined;

afterEach(() => {
  for (const pid of childrenOf(npm?.child.pid)) tryKill(pid);
  if (npm && npm.child.exitCode === null) npm.child.kill("SIGKILL");
  npm = undefined;
});

/** What a service manager or `docker stop` allows between SIGTERM and SIGKILL. */
const SUPERVISOR_GRACE_MS = 5000;

function childrenOf(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {}
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host: "127.0.0.1", port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function labsWithWork(url: string): Promise<LabClient[]> {
  const blocked = await LabClient.open(url);
  blocked.send({ type: "module.load", module: "server" });
  await blocked.waitFor((e) => e.type === "step" && e.step === "accept" && e.phase === "enter");
  const idle = await LabClient.open(url);
  return [blocked, idle];
}

function closeOf(lab: LabClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    lab.ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

describe("a production start a service manager can stop", () => {
  it("npm start builds, then execs the very command npm run serve runs, so node is npm's own child", () => {
    expect(scripts.serve).toMatch(/^exec node /);
    expect(scripts.start).toBe(`npm run build && ${scripts.serve}`);
  });

  it.each([
    ["the process npm started (node itself, no shell between)", "child"],
    ["npm itself, as docker stop or systemd would", "npm"],
  ] as const)(
    "on SIGTERM to %s every session gets 1001, the app exits within 5 s and its port is free",
    async (_, target) => {
      npm = await spawnAppWith("npm", ["run", "serve", "--silent"]);
      const npmPid = npm.child.pid!;
      const [serverPid, ...others] = childrenOf(npmPid);
      expect(others).toEqual([]);
      expect(readFileSync(`/proc/${serverPid}/comm`, "utf8").trim()).toBe("node");
      const port = Number(new URL(npm.url).port);
      const labs = await labsWithWork(npm.url);
      const closes = labs.map(closeOf);

      process.kill(target === "npm" ? npmPid : serverPid!, "SIGTERM");
      const exited = await Promise.race([
        npm.exited.then(() => "exited"),
        new Promise<string>((resolve) =>
          setTimeout(() => resolve("still running"), SUPERVISOR_GRACE_MS).unref(),
        ),
      ]);

      expect(exited).toBe("exited");
      expect(isRunning(serverPid!)).toBe(false);
      expect(await Promise.all(closes)).toEqual(
        labs.map(() => ({ code: 1001, reason: "server shutting down" })),
      );
      expect(npm.output()).toContain("Kernel Socket Lab stopped (SIGTERM); sockets still open: 0");
      expect(await canListen(port)).toBe(true);
    },
    60_000,
  );
});
