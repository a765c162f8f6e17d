import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { findPortHolder, listeningInodes } from "../server/kernelTruth/portHolder.ts";

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:8888 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:8888 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0
`;

describe("whose port it is", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
  });

  it("reads the inode of the socket listening on the port, not of a connection on it", () => {
    expect(listeningInodes(TABLE, 0x8888)).toEqual(["4242"]);
    expect(listeningInodes(TABLE, 8080)).toEqual(["4444"]);
    expect(listeningInodes(TABLE, 1)).toEqual([]);
  });

  it("names another program's process and command; a process this one started is the lab's own", async () => {
    // Started through a shell that exits at once: the listener's parent is no longer this process.
    const script = `const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>console.log(process.pid,s.address().port))`;
    const shell = spawn("sh", ["-c", `"${process.execPath}" -e '${script}' &`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [pid, port] = await new Promise<number[]>((resolve) =>
      shell.stdout?.once("data", (d) => resolve(String(d).trim().split(" ").map(Number))),
    );
    try {
      const outside = await findPortHolder(port ?? 0);
      expect(outside).toMatchObject({ pid, self: false });
      expect(outside?.command).toContain("createServer");
    } finally {
      if (pid) process.kill(pid);
    }

    const child = spawn(
      process.execPath,
      [
        "-e",
        `const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>console.log(s.address().port))`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    const childPort = await new Promise<number>((resolve) =>
      child.stdout?.once("data", (d) => resolve(Number(String(d)))),
    );
    expect(await findPortHolder(childPort)).toMatchObject({ pid: child.pid, self: true });

    const own = net.createServer();
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    try {
      const ownPort = (own.address() as net.AddressInfo).port;
      expect(await findPortHolder(ownPort)).toMatchObject({ pid: process.pid, self: true });
    } finally {
      own.close();
    }
  });

  it("finds no holder for a port nobody listens on", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(await findPortHolder(port)).toBeUndefined();
  });
});
