// The tests run rivulet's TypeScript sources, which Node 20 cannot require(): the Spark Connect
// backend, which the built package loads on the first remote session (session/remote-backend.ts),
// is imported here so that it has registered itself. test/package/ checks the lazy load on dist/.
// The package entry first, as an application loads it; then the backend the first remote session would load.
import { afterAll } from "vitest";
import { Session } from "../../src/index.ts";
import "../../src/connect/remote-session-backend.ts";

// Test files share a worker's modules (vitest.config.ts: isolate is off, so the engine is imported once a worker,
// not once a file). Each file still starts as a fresh process would: without the session an earlier file made
// active (its settings, e.g. a time zone, would leak), and its own active session is stopped when it ends.
Session.clearActiveSession();
afterAll(async () => {
  const session = Session.getActiveSession();
  Session.clearActiveSession();
  await session?.stop();
});
