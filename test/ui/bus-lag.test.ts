import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, SystemClock, type StreamingQuery } from "../../src/index.ts";
import { NATS_URL, TestProducer, uniqueStreamName } from "../connectors/nats/helpers.ts";
import { REDIS_URL, RedisTestClient, uniqueKey } from "../connectors/redis/helpers.ts";
import { waitFor } from "../wait-for.ts";
import { parsePrometheusText } from "./prometheus-parser.ts";

const CHROMIUM = process.env.RIVULET_CHROMIUM ?? "/usr/bin/chromium";

interface SourceOffsets { description: string; startOffset: unknown; endOffset: unknown; latestOffset: unknown; offsetsBehindLatest: number | null }

/**
 * Bus sources that fall behind (maxMessagesPerTrigger, a slow trigger) show their offsets and
 * the messages behind the stream's end in the UI's JSON, its page and /metrics.
 */
describe("the web UI shows each bus source's offsets and lag", () => {
  let spark: Session;
  let base: string;
  let nats: TestProducer;
  let redis: RedisTestClient;
  const queries: StreamingQuery[] = [];

  beforeAll(async () => {
    spark = Session.builder().appName("bus-lag-ui").config("rivulet.ui.port", 0).withClock(new SystemClock()).getOrCreate();
    base = await spark.ui!.ready;
    nats = await TestProducer.open();
    redis = await RedisTestClient.open();
  });
  afterAll(async () => {
    for (const q of queries) await q.stop();
    await nats?.close();
    await redis?.close();
    await spark?.stop();
  });

  /** Starts `df` into a memory sink, with one batch now and the next an hour later; its UI record once that batch is in. */
  async function started(df: ReturnType<Session["readStream"]["format"]> extends { load(): infer D } ? D : never, name: string) {
    const query = df.writeStream.format("memory").queryName(name).trigger({ processingTime: "1 hour" }).start();
    queries.push(query);
    await waitFor(() => query.recentProgress.length, (n) => n >= 1, `the first batch of ${name}`, 20_000, 20);
    return waitFor(async () => (await (await fetch(`${base}/api/queries/${query.runId}`)).json()) as { sourceOffsets: SourceOffsets[] },
      (r) => r.sourceOffsets?.length === 1, `the UI record of ${name}`, 10_000, 20);
  }

  test("NATS and Redis sources in /api/queries/<run>, /metrics and on the page", async () => {
    const stream = uniqueStreamName("ui_lag");
    await nats.createStream(stream, [`${stream}.>`]);
    for (let i = 1; i <= 10; i++) await nats.publish(`${stream}.x`, `m${i}`);
    const natsRecord = await started(spark.readStream.format("nats")
      .options({ servers: NATS_URL, stream, startingOffsets: "earliest", maxMessagesPerTrigger: "4" }).load(), "ui_nats_lag");
    expect(natsRecord.sourceOffsets[0]).toMatchObject({
      startOffset: null, endOffset: { [stream]: 5 }, latestOffset: { [stream]: 11 }, offsetsBehindLatest: 6,
    });
    expect(natsRecord.sourceOffsets[0]!.description).toContain(`stream=${stream}`);

    const key = uniqueKey("ui_lag");
    const ids: string[] = [];
    for (let i = 1; i <= 7; i++) ids.push(await redis.add(key, { n: String(i) }));
    const redisRecord = await started(spark.readStream.format("redis")
      .options({ url: REDIS_URL, stream: key, startingOffsets: "earliest", maxEntriesPerTrigger: "5" }).load(), "ui_redis_lag");
    expect(redisRecord.sourceOffsets[0]).toMatchObject({ endOffset: { [key]: ids[4] }, latestOffset: { [key]: ids[6] }, offsetsBehindLatest: 2 });

    const families = parsePrometheusText(await (await fetch(base + "/metrics")).text());
    const lag = families.get("rivulet_source_offsets_behind_latest")!;
    expect(lag.type).toBe("gauge");
    expect(lag.samples.find((s) => s.labels.query === "ui_nats_lag")!.value).toBe(6);
    expect(lag.samples.find((s) => s.labels.query === "ui_redis_lag")).toMatchObject({ value: 2, labels: { source: expect.stringContaining(key) } });

    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set RIVULET_CHROMIUM to its path`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/#${encodeURIComponent(queries[0]!.runId)}`);
      const row = page.locator("#sources tbody tr");
      await row.first().waitFor({ timeout: 20_000 });
      expect(await row.locator("td").allTextContents()).toEqual([
        natsRecord.sourceOffsets[0]!.description, "-", JSON.stringify({ [stream]: 5 }), JSON.stringify({ [stream]: 11 }), "6",
      ]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
