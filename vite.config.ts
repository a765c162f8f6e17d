import react from "@vitejs/plugin-react";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { listingsPlugin } from "./build/listingsPlugin.ts";
import { precompressPlugin } from "./build/precompressPlugin.ts";

/** The app's version, written into exported run files. */
const appVersion = (
  JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string }
).version;

const backend = `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;

export default defineConfig({
  root: "client",
  plugins: [react(), listingsPlugin(), precompressPlugin()],
  // The client's zod is the one set up for the page's Content-Security-Policy (see the file for why).
  resolve: {
    alias: [
      {
        find: /^zod$/,
        replacement: fileURLToPath(new URL("./client/src/app/cspSafeZod.ts", import.meta.url)),
      },
    ],
  },
  define: { "import.meta.env.VITE_APP_VERSION": JSON.stringify(appVersion) },
  // OUT_DIR lets parallel e2e runs build side by side; the app serves STATIC_DIR (default dist/client).
  build: { outDir: process.env.OUT_DIR ?? "../dist/client", emptyOutDir: true },
  server: {
    host: "127.0.0.1",
    proxy: { "/ws": { target: backend.replace("http", "ws"), ws: true } },
  },
});
