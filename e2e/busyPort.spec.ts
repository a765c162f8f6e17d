import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { currentLine, expect, moduleState, openLab, printkPane, test } from "./fixtures.ts";

test("a server whose port another process holds gets EADDRINUSE on the bind line", async ({ page }) => {
  await openLab(page);
  const status = await page.getByText(/your lab uses port \d+/).textContent();
  const port = Number(/port (\d+)/.exec(status ?? "")?.[1]);
  const squatter = net.createServer();
  await new Promise<void>((resolve) =>
    squatter.listen({ host: "127.0.0.1", port, exclusive: true }, resolve),
  );
  try {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("failed (-98)");
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->bind(");
    await expect(printkPane(page)).toContainText("server: bind error");
    await expect(printkPane(page)).toContainText("Address already in use");
  } finally {
    squatter.close();
  }
});

/** A program outside the lab: a child node process listening on `port`, ready once it says so. */
async function outsideListener(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `require("node:net").createServer().listen({ host: "127.0.0.1", port: ${port}, exclusive: true }, () => console.log("listening"))`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the outside listener exited (${code})`)));
    child.stdout?.once("data", () => resolve());
  });
  return child;
}

test("a port another program holds is named with its process, Reset is not offered as the cure, and the lab moves to a free port; the learner's own Occupy port says nothing of the kind", async ({
  page,
}) => {
  await openLab(page);
  const port = Number(
    /port (\d+)/.exec((await page.getByText(/your lab uses port \d+/).textContent()) ?? "")?.[1],
  );
  const note = page.getByRole("alert", { name: "Whose port it is" });

  // The lesson's own experiment: this lab holds the port, so no other program is named.
  await page.getByRole("button", { name: `Occupy port ${port}` }).click();
  await expect(page.getByRole("button", { name: `Free port ${port}` })).toBeVisible();
  await page.getByRole("button", { name: /Start server/ }).click();
  await expect(moduleState(page, "server")).toHaveText("failed (-98)");
  await expect(note).toHaveCount(0);
  await page.getByRole("button", { name: `Free port ${port}` }).click();
  await expect(page.getByRole("button", { name: `Occupy port ${port}` })).toBeVisible();

  const outside = await outsideListener(port);
  try {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("failed (-98)");
    await expect(note).toContainText(
      `Another program on this machine holds port ${port} (process ${outside.pid}), so the server's bind got -98 (EADDRINUSE):`,
    );
    await expect(note.locator("code")).toContainText("createServer");
    await expect(note).toContainText("Reset the lab cannot free it");
    await note.getByRole("button", { name: "Move this lab to a free port" }).click();
    await expect(page).toHaveURL(/port=free/);
    const moved = page.getByText(/your lab uses port \d+/);
    await expect(moved).toBeVisible();
    const newPort = Number(/port (\d+)/.exec((await moved.textContent()) ?? "")?.[1]);
    expect(newPort).not.toBe(port);
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expect(note).toHaveCount(0);
    await page.getByRole("button", { name: "Reset the lab" }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded");
  } finally {
    outside.kill();
  }
});
