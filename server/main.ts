import { startApp } from "./app.ts";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

if (!["127.0.0.1", "::1", "localhost"].includes(host)) {
  console.warn(`warning: HOST=${host} is not loopback: anyone who can reach it can drive a lab on this machine`);
}

const app = await startApp({
  host,
  port,
  labPort: process.env.LAB_PORT === undefined ? undefined : Number(process.env.LAB_PORT),
  allowedOrigins: process.env.ALLOWED_ORIGINS?.split(",").filter(Boolean),
  staticDir: process.env.STATIC_DIR,
});
console.log(`Kernel Socket Lab listening on ${app.url}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void app.close().then(() => process.exit(0));
  });
}
