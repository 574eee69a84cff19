import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MemoryStream, Session, SystemClock, col, count, window, type StreamingQuery } from "../../src/index.ts";
import { escapeLabel } from "../../src/ui/prometheus.ts";
import { redactConfig, redactSecrets } from "../../src/ui/redact.ts";
import { parsePrometheusText } from "./prometheus-parser.ts";

describe("redactSecrets", () => {
  test.each([
    ["jdbc:mysql://etl:s3cr3t@db:3306/app", "jdbc:mysql://etl:***@db:3306/app"],
    ["url=jdbc:postgresql://h/db?user=u&password=s3cr3t&ssl=true", "url=jdbc:postgresql://h/db?user=u&password=***&ssl=true"],
    ["OPTIONS (url 'jdbc:mysql://h/db', password 's3cr3t', user 'u')", "OPTIONS (url 'jdbc:mysql://h/db', password '***', user 'u')"],
    ["OPTIONS ('password' 's3cr3t')", "OPTIONS ('password' '***')"],
    ['{"user":"u","password":"s3cr3t"}', '{"user":"u","password":"***"}'],
    ["spark.jdbc.password=s3cr3t other=1", "spark.jdbc.password=*** other=1"],
    ["FileStreamSource[/data/logs]", "FileStreamSource[/data/logs]"],
  ])("%s", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  test("configuration values by key", () => {
    expect(redactConfig({ "db.password": "x", "db.url": "jdbc:mysql://u:p@h/d", n: "1" })).toEqual({ "db.password": "***", "db.url": "jdbc:mysql://u:***@h/d", n: "1" });
  });

  test("Prometheus label escaping", () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

describe("the web UI server (Session.builder().config(\"rivulet.ui.port\", 0))", () => {
  let spark: Session;
  let base: string;
  let stream: MemoryStream<{ time: string; action: string }>;
  let query: StreamingQuery;

  beforeAll(async () => {
    spark = Session.builder().appName("ui-test").config("rivulet.ui.port", 0).config("etl.jdbc.url", "jdbc:mysql://etl:s3cr3t@db/app").withClock(new SystemClock()).getOrCreate();
  });
  afterAll(async () => { await spark?.stop(); });

  test("starts with the session and listens on 127.0.0.1", async () => {
    expect(spark.ui).not.toBeNull();
    base = await spark.ui!.ready;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(base + "/");
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/assets/app.js">');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    for (const asset of ["/assets/app.js", "/assets/charts.js", "/assets/style.css"]) expect((await fetch(base + asset)).status).toBe(200);
    expect((await fetch(base + "/nope")).status).toBe(404);
  });

  test("lists a running query, its history and plan; /events streams its progress", async () => {
    stream = new MemoryStream(spark, "time TIMESTAMP, action STRING");
    const events = await fetch(base + "/events");
    const reader = events.body!.getReader();
    query = stream.toDF().withWatermark("time", "10 minutes").groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"))
      .writeStream.format("memory").queryName("ui_counts").outputMode("update").start();
    stream.addData({ time: "2026-01-01T10:01:00Z", action: "click" }, { time: "2026-01-01T10:20:00Z", action: "view" });
    await query.processAllAvailable();

    let text = "";
    const decoder = new TextDecoder();
    while (!/event: progress\ndata: .*"numInputRows":2/.test(text)) text += decoder.decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toMatch(/^retry: 2000\n\nevent: snapshot\ndata: \[/);
    expect(text).toMatch(/event: started\ndata: .*"name":"ui_counts"/);

    const list = await (await fetch(base + "/api/queries")).json() as { appName: string; queries: { name: string; state: string; runId: string; batches: number }[] };
    expect(list.appName).toBe("ui-test");
    const q = list.queries.find((x) => x.name === "ui_counts")!;
    expect(q).toMatchObject({ state: "active" });
    const detail = await (await fetch(`${base}/api/queries/${q.runId}`)).json() as { history: { numInputRows: number; stateRows: number; watermark: number | null; maxEventTime: number | null; durationMs: Record<string, number> }[]; plan: { name: string; children: unknown[] } };
    const withRows = detail.history.find((h) => h.numInputRows === 2)!;
    expect(withRows).toMatchObject({ stateRows: 2, maxEventTime: Date.parse("2026-01-01T10:20:00Z") });
    expect(Object.keys(withRows.durationMs)).toEqual(expect.arrayContaining(["addBatch", "getBatch", "triggerExecution"]));
    expect(detail.plan.name).toBeTruthy();
    expect(JSON.stringify(detail.plan)).toMatch(/Aggregate/);
  });

  test("/metrics parses as Prometheus text with per-query series", async () => {
    const res = await fetch(base + "/metrics");
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const families = parsePrometheusText(await res.text());
    const sample = (name: string) => families.get(name)!.samples.find((s) => s.labels.query === "ui_counts")!;
    expect(families.get("rivulet_query_input_rows_total")!.type).toBe("counter");
    expect(sample("rivulet_query_input_rows_total").value).toBe(2);
    expect(sample("rivulet_query_output_rows_total").value).toBe(2);
    expect(sample("rivulet_query_active").value).toBe(1);
    expect(sample("rivulet_query_state_rows").value).toBe(2);
    expect(sample("rivulet_query_max_event_time_seconds").value).toBe(Date.parse("2026-01-01T10:20:00Z") / 1000);
    expect(sample("rivulet_query_batches_total").labels).toMatchObject({ id: query.id, run_id: query.runId });
    expect(families.get("rivulet_queries")!.samples.find((s) => s.labels.state === "active")!.value).toBeGreaterThanOrEqual(1);
  });

  test("a stopped query stays listed as finished; the configuration is shown without secrets", async () => {
    await query.stop();
    const list = await (await fetch(base + "/api/queries")).json() as { queries: { name: string; state: string }[] };
    expect(list.queries.find((x) => x.name === "ui_counts")!.state).toBe("stopped");
    const families = parsePrometheusText(await (await fetch(base + "/metrics")).text());
    expect(families.get("rivulet_query_active")!.samples.find((s) => s.labels.query === "ui_counts")!.value).toBe(0);
    const conf = await (await fetch(base + "/api/config")).text();
    expect(conf).toContain("jdbc:mysql://etl:***@db/app");
    expect(conf).not.toContain("s3cr3t");
  });
});
