import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Streaming tests open real sockets and files; keep workers within the 2-core machine.
    maxWorkers: 2,
  },
});
