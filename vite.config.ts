import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { listingsPlugin } from "./build/listingsPlugin.ts";

const backend = `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;

export default defineConfig({
  root: "client",
  plugins: [react(), listingsPlugin()],
  build: { outDir: "../dist/client", emptyOutDir: true },
  server: {
    host: "127.0.0.1",
    proxy: { "/ws": { target: backend.replace("http", "ws"), ws: true } },
  },
});
