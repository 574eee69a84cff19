import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/remote-backend.ts"],
    // Type-level tests (expectTypeOf, @ts-expect-error): `vitest --typecheck`; `tsc --noEmit` (npm test) checks them too.
    typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Streaming tests open real sockets and files; keep workers within the 2-core machine.
    maxWorkers: 2,
  },
});
