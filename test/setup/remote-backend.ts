// The tests run rivulet's TypeScript sources, which Node 20 cannot require(): the Spark Connect
// backend, which the built package loads on the first remote session (session/remote-backend.ts),
// is imported here so that it has registered itself. test/package/ checks the lazy load on dist/.
import "../../src/connect/remote-session-backend.ts";
