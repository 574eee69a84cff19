import { describe, expect, it } from "vitest";
import { Session, expr, parseAccessLog } from "../../src/index.ts";

const combined = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';

describe("parse_access_log", () => {
  it("parses the Apache combined log format", () => {
    expect(parseAccessLog(combined)).toEqual({
      ip: "127.0.0.1", ident: "-", user: "frank", timestamp: new Date("2000-10-10T20:55:36Z"),
      method: "GET", url: "/apache_pb.gif", protocol: "HTTP/1.0", status: 200, bytes: 2326,
      referer: "http://www.example.com/start.html", agent: "Mozilla/4.08 [en] (Win98; I ;Nav)",
    });
  });

  it("accepts the common format, '-' bytes as null, escaped quotes and odd request lines; unparseable lines give null", () => {
    const common = parseAccessLog('10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "POST /api?q=\\"x\\" HTTP/1.1" 304 -');
    expect(common).toMatchObject({ method: "POST", url: '/api?q="x"', status: 304, bytes: null, referer: null, agent: null });
    expect(common!.timestamp.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(parseAccessLog('10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "-" 408 0 "-" "-"')).toMatchObject({ method: null, url: null, status: 408, referer: "-" });
    for (const bad of ["", "garbage", '1.2.3.4 - - [31/Feb/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1', '1.2.3.4 - - [01/Foo/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1', '1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 20 1']) {
      expect(parseAccessLog(bad)).toBeNull();
    }
  });

  it("is a SQL function returning a struct", async () => {
    const spark = Session.builder().appName("access-log").getOrCreate();
    const df = spark.createDataFrame([{ line: combined }, { line: "not a log line" }, { line: null }], "line STRING");
    const rows = await df.select(expr("parse_access_log(line).url").as("url"), expr("parse_access_log(line).status").as("status"), expr("parse_access_log(line)").as("p")).collect();
    expect(rows.map((r) => [r.url, r.status])).toEqual([["/apache_pb.gif", 200], [null, null], [null, null]]);
    expect((rows[0]!.p as { timestamp: Date }).timestamp).toEqual(new Date("2000-10-10T20:55:36Z"));
  });
});
