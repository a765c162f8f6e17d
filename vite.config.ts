import react from "@vitejs/plugin-react";
import { readFileSync } from "node:fs";
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
  define: { "import.meta.env.VITE_APP_VERSION": JSON.stringify(appVersion) },
  // OUT_DIR lets parallel e2e runs build side by side; the app serves STATIC_DIR (default dist/client).
  build: { outDir: process.env.OUT_DIR ?? "../dist/client", emptyOutDir: true },
  server: {
    host: "127.0.0.1",
    proxy: { "/ws": { target: backend.replace("http", "ws"), ws: true } },
  },
});
