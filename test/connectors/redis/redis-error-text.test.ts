import { TimeoutError } from "@redis/client/dist/lib/errors.js";
import { describe, expect, it } from "vitest";
import { describeRedisError } from "../../../src/connectors/redis/redis-connection.ts";

// The reason in a retry warning and in query.status.message: never empty (an outage's
// command timeout from node-redis has no message), and never the password.
describe("describeRedisError", () => {
  it("names node-redis's command timeout, whose message is empty", () => {
    expect(new TimeoutError().message).toBe("");
    expect(describeRedisError(new TimeoutError(), null)).toBe("TimeoutError: the server did not answer the command in time");
  });

  it("gives an AggregateError's reasons (a refused dual-stack connect) and hides the password", () => {
    const refused = new AggregateError([new Error("connect ECONNREFUSED ::1:6379"), new Error("connect ECONNREFUSED 127.0.0.1:6379 (s3cret)")], "");
    expect(describeRedisError(refused, "s3cret")).toBe("connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379 (***)");
  });

  it("falls back to the class and code when nothing else is said, and keeps a message as it is", () => {
    expect(describeRedisError(Object.assign(new Error(""), { code: "ECONNRESET" }), null)).toBe("Error ECONNRESET");
    expect(describeRedisError(new Error("read ECONNRESET"), null)).toBe("read ECONNRESET");
  });
});
