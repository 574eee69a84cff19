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
    // A worker imports the engine (~725 modules) once, not once per test file: isolated, each of the ~380 files
    // spent ~3.4 s there before its first test (setup 1,300 s of a 1,400 s run). test/setup/remote-backend.ts gives
    // each file a fresh active session; files restore what else they change (environment variables, listeners).
    isolate: false,
  },
});
