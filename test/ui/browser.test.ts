import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MemoryStream, Session, SystemClock, col, count, window, type StreamingQuery } from "../../src/index.ts";

// The one place the browser is named: .ci/run installs it there and exports the same variable.
const CHROMIUM = process.env.RIVULET_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));

describe("the web UI in headless Chromium", () => {
  let spark: Session;
  let browser: Browser;
  let base: string;
  let stream: MemoryStream<{ time: string; action: string }>;
  let query: StreamingQuery;
  let feeder: NodeJS.Timeout;

  beforeAll(async () => {
    // No browser is a failure, never a skip: the UI would go untested without anyone seeing it.
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set RIVULET_CHROMIUM to its path`);
    spark = Session.builder().appName("browser-test").config("rivulet.ui.port", 0).withClock(new SystemClock()).getOrCreate();
    base = await spark.ui!.ready;
    stream = new MemoryStream(spark, "time TIMESTAMP, action STRING");
    query = stream.toDF().withWatermark("time", "10 minutes").groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"))
      .writeStream.format("memory").queryName("browser_counts").outputMode("update").trigger({ processingTime: "200 milliseconds" }).start();
    let minute = 0;
    const feed = (): void => {
      const rows = Array.from({ length: 50 }, (_, i) => ({
        time: new Date(Date.UTC(2026, 0, 1, 10) + (minute * 60 + i) * 1000).toISOString(),
        action: ["click", "view", "scroll"][i % 3]!,
      }));
      minute++;
      stream.addData(rows);
    };
    feed();
    feeder = setInterval(feed, 250);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 60_000);

  afterAll(async () => {
    clearInterval(feeder);
    await browser?.close();
    await spark?.stop();
  });

  test("lists the running query, updates its charts live, draws the plan; a screenshot is saved", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const foreign: string[] = [];
    page.on("request", (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base + "/");

    const row = page.locator("#queries tbody tr", { hasText: "browser_counts" });
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.locator("td").nth(1).textContent()).toMatch(/^active/);
    await page.locator("#connection.live").waitFor({ timeout: 10_000 });

    // The query is selected; its charts are drawn and grow as batches arrive over server-sent events.
    await page.locator("#detail:not([hidden])").waitFor();
    expect(await page.locator("#q-name").textContent()).toBe("browser_counts");
    const points = async (): Promise<number> => Number(await page.locator("#chart-rates").getAttribute("data-points") ?? 0);
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(2);
    const before = await points();
    const batchBefore = Number(await page.locator("#t-batch").textContent());
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(before);
    await expect.poll(async () => Number(await page.locator("#t-batch").textContent()), { timeout: 20_000 }).toBeGreaterThan(batchBefore);
    expect(await page.locator("#chart-rates polyline.series").count()).toBe(2);
    expect(await page.locator("#chart-duration rect").count()).toBeGreaterThan(0);
    expect(Number(await page.locator("#chart-state").getAttribute("data-points"))).toBeGreaterThan(0);
    expect(await page.locator("#chart-eventtime polyline.series").count()).toBe(2);
    expect(await page.locator("#t-watermark").textContent()).toMatch(/^2026-01-01 /);
    expect(Number(await page.locator("#plan").getAttribute("data-nodes"))).toBeGreaterThanOrEqual(3);
    expect(await page.locator("#plan text.name").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Aggregate/)]));

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: ARTIFACTS + "web-ui.png", fullPage: true });
    expect(existsSync(ARTIFACTS + "web-ui.png")).toBe(true);

    // Stopped: the list shows it as finished.
    clearInterval(feeder);
    await query.stop();
    await expect.poll(() => row.locator("td").nth(1).textContent(), { timeout: 10_000 }).toBe("stopped");
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
