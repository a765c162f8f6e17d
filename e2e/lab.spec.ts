import { currentLine, expect, listing, moduleState, openLab, printkPane, test } from "./fixtures.ts";

test("the full run lights each call's C line and prints the listing's printk texts", async ({ page }) => {
  await openLab(page);

  await test.step("start the server: it blocks in accept, insmod still running", async () => {
    await page.getByRole("button", { name: /Start server/ }).click();
    await expect(moduleState(page, "server")).toHaveText("running — blocked in accept");
    await expect(currentLine(page, "server.c")).toContainText("sock->ops->accept(sock,client_sock,10)");
    await expect(printkPane(page)).toContainText("server:listen ok!");
    await expect(printkPane(page)).toContainText(/\[\s+\d+\.\d{6}\] server:bind ok!/);
  });

  await test.step("start the client: it connects and sends 1024 bytes of 0x01", async () => {
    await page.getByRole("button", { name: /Start client/ }).click();
    await expect(moduleState(page, "client")).toHaveText("loaded");
    await expect(moduleState(page, "server")).toHaveText("loaded");
    await expect(currentLine(page, "client.c")).toContainText("kernel_sendmsg(sock,&msg,&vec,1,1024)");
    await expect(currentLine(page, "server.c")).toContainText("sock_release(client_sock)");
    const pane = printkPane(page);
    await expect(pane).toContainText("server: accept ok, Connection Established");
    await expect(pane).toContainText("client:send ok!");
    await expect(pane).toContainText("receive message:");
    await expect(pane).toContainText("^A^A^A^A");
    await expect(pane).toContainText("$ insmod client.ko");
  });

  await test.step("stop both: their exit printks appear and light their lines; no call stays lit", async () => {
    await page.getByRole("button", { name: /Stop server/ }).click();
    await page.getByRole("button", { name: /Stop client/ }).click();
    await expect(moduleState(page, "server")).toHaveText("not loaded");
    await expect(moduleState(page, "client")).toHaveText("not loaded");
    await expect(printkPane(page)).toContainText("good bye");
    await expect(printkPane(page)).toContainText("client exit!");
    for (const [file, text] of [
      ["server.c", 'printk("good bye\\n");'],
      ["serverModule.ts", 'k.printk("good bye\\n");'],
      ["client.c", 'printk("client exit!\\n");'],
      ["clientModule.ts", 'k.printk("client exit!\\n");'],
    ] as const) {
      await expect(listing(page, file).locator(".line.printed"), file).toContainText(text);
      await expect(currentLine(page, file), file).toHaveCount(0);
    }
  });
});

test("a client with no server is refused: the connect line is lit and insmod fails with -111", async ({
  page,
}) => {
  await openLab(page);
  await page.getByRole("button", { name: /Start client/ }).click();
  await expect(moduleState(page, "client")).toHaveText("failed (-111)");
  const line = currentLine(page, "client.c");
  await expect(line).toContainText("sock->ops->connect(");
  await expect(line).toHaveAttribute("data-line", /^\d+$/);
  await expect(printkPane(page)).toContainText("client:connect error!");
  await expect(printkPane(page)).toContainText(
    "insmod: ERROR: could not insert module client.ko: Connection refused",
  );
  await expect(listing(page, "client.c").locator("[data-line]")).toHaveCount(75);
});
