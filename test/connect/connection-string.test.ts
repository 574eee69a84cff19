import { describe, expect, test } from "vitest";
import { ConnectorError } from "../../src/common/errors.ts";
import { parseConnectionString } from "../../src/connect/connection-string.ts";

const parse = (url: string) => parseConnectionString(url, "9.9.9");

describe("Spark Connect connection strings", () => {
  test("defaults: port 15002, no TLS, a random UUID session, 128 MiB messages, rivulet's user agent", () => {
    const c = parse("sc://spark.example.com");
    expect(c).toMatchObject({ host: "spark.example.com", port: 15002, useSsl: false, token: null, userId: null, userAgent: "rivulet/9.9.9", maxMessageSize: 134217728 });
    expect(c.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(parse("sc://h/").sessionId).not.toBe(c.sessionId);
  });

  test("every documented key, and other keys as headers", () => {
    const c = parse("sc://spark.example.com:443/;use_ssl=true;token=s3cr3t;user_id=etl;user_agent=jobs/1;session_id=9f4c1a0e-2b7d-4c5e-8a1f-0123456789ab;grpc_max_message_size=1024;x-trace=abc");
    expect(c).toMatchObject({
      host: "spark.example.com", port: 443, useSsl: true, token: "s3cr3t", userId: "etl", userAgent: "jobs/1",
      sessionId: "9f4c1a0e-2b7d-4c5e-8a1f-0123456789ab", maxMessageSize: 1024, metadata: { "x-trace": "abc" },
    });
    expect(c.redacted).toBe("sc://spark.example.com:443/;use_ssl=true;token=***;user_id=etl;user_agent=jobs/1;session_id=9f4c1a0e-2b7d-4c5e-8a1f-0123456789ab;grpc_max_message_size=1024;x-trace=abc");
    expect(parse("sc://[::1]:15003/").host).toBe("::1");
  });

  test.each([
    ["sc://host:abc/", "[INVALID_CONNECT_URL] sc://host:abc/: the port must be a number"],
    ["sc://host:15002/db", "[INVALID_CONNECT_URL] sc://host:15002/db: the path must be empty, but it is '/db' (parameters follow as /;key=value)"],
    ["sc://host/;session_id=abc", "[INVALID_CONNECT_URL] sc://host/;session_id=abc: the session_id must be a UUID, but it is 'abc'"],
    ["http://host:15002", "[INVALID_CONNECT_URL] http://host:15002: a Spark Connect URL starts with sc:// (sc://host:15002)"],
    ["sc://:15002/", "[INVALID_CONNECT_URL] sc://:15002/: the host is missing (sc://host:15002)"],
    ["sc://host:99999/", "[INVALID_CONNECT_URL] sc://host:99999/: the port must be between 1 and 65535, but it is 99999"],
    ["sc://host/;use_ssl=yes", "[INVALID_CONNECT_URL] sc://host/;use_ssl=yes: use_ssl must be true or false, but it is 'yes'"],
  ])("%s is refused", (url, message) => {
    expect(() => parse(url)).toThrow(new ConnectorError(message));
  });

  test("a token without TLS is refused, and the token never shows in the error", () => {
    let error: unknown;
    try { parse("sc://host/;token=s3cr3t"); } catch (e) { error = e; }
    expect((error as Error).message).toBe("[INVALID_CONNECT_URL] sc://host/;token=***: a token is only sent over TLS: add ;use_ssl=true");
    expect(String((error as Error).message)).not.toContain("s3cr3t");
  });
});
