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
