import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setLogSink } from "../../../src/common/log.ts";
import { Session, col, window } from "../../../src/index.ts";
import { prometheusText } from "../../../src/ui/prometheus.ts";
import { QueryStore } from "../../../src/ui/query-store.ts";
import { freePort } from "../../flume/helpers.ts";
import { removeTempDirs, tempDir, uniqueTable } from "./helpers.ts";
import { privateMariaDb, privatePostgres, type PrivateServer } from "./private-server.ts";

/**
 * Issue 15, part 3: a database that goes away for a while must not end the query. Each
 * test runs its own real server (never the shared ones), stops it (mid-run for 25 s, or
 * before the query starts) and starts it again on the same port and data. The server
 * tests run concurrently: most of their time is waiting.
 */
const spark = Session.builder().appName("sink-outage").getOrCreate();
const store = new QueryStore((id) => spark.streams.get(id));
spark.streams.addListener(store);
const logs: string[] = [];
const logLevel = process.env.RIVULET_LOG;
const PASSWORD = "Outage-S3cret-pw";
const OUTAGE_MS = 25_000;
const ACTIONS = ["click", "view", "buy"];

beforeAll(() => {
  process.env.RIVULET_LOG = "warn";
  setLogSink((level, logger, message) => { logs.push(`${level.toUpperCase()} ${logger}: ${message}`); });
});

afterAll(async () => {
  await spark.streams.stopAll();
  if (logLevel === undefined) delete process.env.RIVULET_LOG;
  else process.env.RIVULET_LOG = logLevel;
  setLogSink((level, logger, message) => { process.stderr.write(`${level.toUpperCase()} ${logger}: ${message}\n`); });
  await removeTempDirs();
});

/** An input directory of JSON logs, a file at a time (written aside, then renamed in). */
async function logFiles(): Promise<{ dir: string; add: (n: number) => Promise<void> }> {
  const dir = await tempDir("outage-input");
  const staging = await tempDir("outage-staging");
  await mkdir(dir, { recursive: true });
  let fileNo = 0;
  return {
    dir,
    add: async (n) => {
      const lines = Array.from({ length: n }, (_, i) => {
        const minute = fileNo * 17 + i * 7;
        return JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1, 8) + minute * 60_000).toISOString(), action: ACTIONS[(fileNo + i) % ACTIONS.length] });
      });
      const name = `part-${String(fileNo++).padStart(4, "0")}.json`;
      await writeFile(join(staging, name), lines.join("\n") + "\n");
      await rename(join(staging, name), join(dir, name));
    },
  };
}

/** The batch answer of the same query over all the input, as "yyyy-mm-ddThh:mm action=n". */
async function batchAnswer(input: string): Promise<string[]> {
  const rows = await spark.read.schema("time TIMESTAMP, action STRING").json(input)
    .groupBy(window(col("time"), "1 hour"), col("action")).count().collect();
  return rows.map((r) => `${(r.window as { start: Date }).start.toISOString().slice(0, 16)} ${String(r.action)}=${Number(r.count)}`).sort();
}

async function tableAnswer(server: PrivateServer, table: string, quote: string): Promise<string[]> {
  const rows = await server.query(`SELECT CAST(window_start AS CHAR(16)) AS window_start, action, ${quote}count${quote} AS n FROM ${quote}${table}${quote}`);
  return rows.map((r) => `${String(r.window_start).slice(0, 16).replace(" ", "T")} ${String(r.action)}=${Number(r.n)}`).sort();
}

const servers = {
  mariadb: async () => {
    const server = await privateMariaDb();
    await server.query(`CREATE USER 'etl'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await server.query("GRANT ALL ON test.* TO 'etl'@'%'");
    return { server, url: `jdbc:mysql://127.0.0.1:${server.port}/test?user=etl&password=${PASSWORD}`, quote: "`" };
  },
  // trust authentication: the password is never asked for, but it is in the URL and must show nowhere.
  postgresql: async () => {
    const server = await privatePostgres();
    return { server, url: `${server.url}&password=${PASSWORD}`, quote: '"' };
  },
};

describe("a database that goes away", () => {
  test.concurrent.each(["mariadb", "postgresql"] as const)("%s, stopped for 25 s mid-run: the query waits, says so, and ends with the batch answer", async (kind) => {
    const { server, url, quote } = await servers[kind]();
    try {
      const table = uniqueTable(`outage_${kind}`);
      const checkpoint = join(await tempDir("outage-ckpt"), "ckpt");
      const input = await logFiles();
      await input.add(20);
      const q = spark.readStream.schema("time TIMESTAMP, action STRING").json(input.dir)
        .groupBy(window(col("time"), "1 hour"), col("action")).count()
        .writeStream.outputMode("update").format("jdbc").queryName(table).option("dbtable", table)
        .option("checkpointLocation", checkpoint).option("retryMaxBackoffMs", 2000)
        .trigger({ processingTime: "200 milliseconds" }).start(url);
      await q.processAllAvailable();
      expect(await tableAnswer(server, table, quote)).toEqual(await batchAnswer(input.dir));

      await server.stop();
      const outageEnds = Date.now() + OUTAGE_MS;
      const messages = new Set<string>();
      let seenInUi = false;
      let metrics = "";
      for (let i = 0; Date.now() < outageEnds; i++) {
        if (i % 20 === 0 && i < 100) await input.add(15);
        const { message } = q.status;
        if (message.startsWith("Waiting for the sink:")) messages.add(message);
        const record = store.get(q.runId);
        if (record?.waiting != null && !seenInUi) {
          seenInUi = true;
          metrics = prometheusText([record]);
        }
        expect(q.isActive).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await server.start();
      await input.add(10);
      await q.processAllAvailable();

      expect(q.isActive).toBe(true);
      expect(q.exception).toBeNull();
      expect(messages.size).toBeGreaterThan(0);
      for (const m of messages) {
        expect(m).toMatch(/^Waiting for the sink: (writing batch \d+|connecting and preparing the table) failed: .+ \(retry \d+, next in \d+(\.\d)? s\)$/);
        expect(m).not.toContain(PASSWORD);
      }
      expect(seenInUi).toBe(true);
      expect(metrics).toMatch(new RegExp(`rivulet_query_waiting\\{query="${table}",[^}]*\\} 1`));
      expect(metrics).toMatch(new RegExp(`rivulet_sink_retries_total\\{query="${table}",[^}]*\\} [1-9]`));
      // Back to normal: the UI no longer shows it waiting, progress counts the retries.
      expect(store.get(q.runId)!.waiting).toBeNull();
      expect(q.status.message).not.toMatch(/Waiting for the sink/);
      expect(Number(q.recentProgress.at(-1)!.sink.metrics.retries)).toBeGreaterThan(0);
      const warnings = logs.filter((l) => l.startsWith("WARN JdbcSink") && l.includes(`:${server.port}/`) && / retry \d+ in \d+ ms/.test(l));
      expect(warnings.length).toBeGreaterThanOrEqual(2);
      expect(logs.filter((l) => l.includes(PASSWORD))).toEqual([]);

      await q.stop();
      expect(q.exception).toBeNull();
      expect(await tableAnswer(server, table, quote)).toEqual(await batchAnswer(input.dir));
    } finally {
      await server.destroy();
    }
  }, 120_000);

  test.concurrent("mariadb, down when the query starts: the connection at start waits for it the same way, then the query runs", async () => {
    const server = await privateMariaDb();
    try {
      const table = uniqueTable("outage_start");
      const input = await logFiles();
      await input.add(12);
      await server.stop();
      const q = spark.readStream.schema("time TIMESTAMP, action STRING").json(input.dir)
        .groupBy(window(col("time"), "1 hour"), col("action")).count()
        .writeStream.outputMode("update").format("jdbc").option("dbtable", table)
        .option("checkpointLocation", join(await tempDir("outage-start-ckpt"), "ckpt")).option("retryMaxBackoffMs", 1000)
        .start(server.url);
      const deadline = Date.now() + 5_000;
      let waiting = "";
      while (Date.now() < deadline) {
        if (q.status.message.startsWith("Waiting for the sink:")) waiting = q.status.message;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(waiting).toMatch(/^Waiting for the sink: connecting and preparing the table failed: .*ECONNREFUSED.* \(retry \d+, next in/);
      expect(q.isActive).toBe(true);
      await server.start();
      await q.processAllAvailable();
      await q.stop();
      expect(q.exception).toBeNull();
      expect(await tableAnswer(server, table, "`")).toEqual(await batchAnswer(input.dir));
    } finally {
      await server.destroy();
    }
  }, 60_000);
});

describe("retryMaxDuration", () => {
  /** A port where nothing listens: every connection is refused, a transient error. */
  async function deadUrl(): Promise<string> {
    return `jdbc:mysql://127.0.0.1:${await freePort()}/test?user=etl&password=${PASSWORD}`;
  }

  let input = "";
  beforeAll(async () => { input = await tempDir("retry-input"); });

  function start(url: string, table: string, retryMaxDuration: string) {
    const stream = spark.readStream.schema("time TIMESTAMP, action STRING").json(input);
    return stream.groupBy(window(col("time"), "1 hour"), col("action")).count()
      .writeStream.outputMode("update").format("jdbc").option("dbtable", table)
      .option("retryMaxDuration", retryMaxDuration).start(url);
  }

  test("0 fails at once, naming the sink", async () => {
    const url = await deadUrl();
    const started = Date.now();
    const q = start(url, "t0", "0");
    await expect(q.awaitTermination()).rejects.toThrow(/JDBC sink jdbc:mysql:\/\/127\.0\.0\.1:\d+\/test\?user=etl&password=\*\*\* \(table t0\): connecting and preparing the table failed after 1 attempt \(retryMaxDuration 0: no retry\); the database is unreachable/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(q.exception!.message).not.toContain(PASSWORD);
  });

  test("a short duration waits that long, saying so, then gives up with an error naming the sink", async () => {
    const url = await deadUrl();
    const started = Date.now();
    const q = start(url, "t2", "2 seconds");
    let waiting = "";
    while (q.isActive) {
      if (q.status.message.startsWith("Waiting for the sink:")) waiting = q.status.message;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const elapsed = Date.now() - started;
    expect(waiting).toMatch(/^Waiting for the sink: connecting and preparing the table failed: .*ECONNREFUSED.* \(retry \d+, next in/);
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(10_000);
    expect(q.exception!.message).toMatch(/JDBC sink jdbc:mysql:\/\/127\.0\.0\.1:\d+\/test\?user=etl&password=\*\*\* \(table t2\): connecting and preparing the table failed after \d+ attempts over [\d.]+ seconds? .*\(retryMaxDuration 2 seconds\); the database is unreachable/);
  });

  test("-1 waits forever, and stop() ends the wait at once: a stop, not a failure", async () => {
    const q = start(await deadUrl(), "tforever", "-1");
    const stopWaits = async (): Promise<void> => {
      while (!q.status.message.startsWith("Waiting for the sink:")) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await stopWaits();
    expect(q.status.message).toMatch(/^Waiting for the sink: connecting and preparing the table failed: .*ECONNREFUSED/);
    const started = Date.now();
    await q.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(q.isActive).toBe(false);
    expect(q.exception).toBeNull();
  });

  test("a bad value is refused at start()", () => {
    expect(() => start("jdbc:mysql://127.0.0.1:9/test", "tb", "30")).toThrow(/option 'retryMaxDuration': '30' needs a unit, e.g. '30 seconds'/);
    expect(() => start("jdbc:mysql://127.0.0.1:9/test", "tb", "soon")).toThrow(/cannot parse JDBC sink option 'retryMaxDuration' 'soon'/);
  });
});
