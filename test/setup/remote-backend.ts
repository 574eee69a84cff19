// The tests run rivulet's TypeScript sources, which Node 20 cannot require(): the Spark Connect
// backend, which the built package loads on the first remote session (session/remote-backend.ts),
// is imported here so that it has registered itself. test/package/ checks the lazy load on dist/.
// The package entry first, as an application loads it; then the backend the first remote session would load.
import "../../src/index.ts";
import "../../src/connect/remote-session-backend.ts";
