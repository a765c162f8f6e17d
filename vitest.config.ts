import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests open real sockets; keep files in separate processes so fd counts stay exact.
    pool: "forks",
  },
});
