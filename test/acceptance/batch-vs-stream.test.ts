import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  Session, approx_count_distinct, avg, col, count, hour, max, min, sum, window, type DataFrame,
} from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * The same aggregate transformation run as a streaming query (file source, one file per
 * trigger, complete mode, memory sink, availableNow) and as a batch query over the same
 * files must give the same final result (Spark's "a stream is an unbounded table" rule).
 */
const spark = Session.builder().appName("batch-vs-stream").getOrCreate();
const LOG_DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes LONG";
const ACTIONS = ["click", "view", "buy", "search"];
const NUM_FILES = 4;
const ROWS_PER_FILE = 30;

let dir = "";
let counter = 0;

interface LogRow { time: string; action: string; url: string; userId: string; bytes: number | null }
/** The rows written to each file, as generated: what the independent computations start from. */
const generated: LogRow[][] = [];

const tempDir = tempDirs(spark);

/** A small deterministic generator (LCG), so that failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

beforeAll(async () => {
  dir = await tempDir("rivulet-batch-vs-stream-");
  const next = rng(42);
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let f = 0; f < NUM_FILES; f++) {
    const lines: string[] = [];
    generated.push([]);
    for (let i = 0; i < ROWS_PER_FILE; i++) {
      // Times span six hours and are not ordered across files: later files revisit early windows.
      const time = new Date(base + Math.floor(next() * 6 * 3600) * 1000);
      const action = ACTIONS[Math.floor(next() * ACTIONS.length)]!;
      const row: LogRow = {
        time: time.toISOString(), action, url: `/${action}/${Math.floor(next() * 5)}`,
        userId: `u${Math.floor(next() * 7)}`, bytes: next() < 0.1 ? null : Math.floor(next() * 5000),
      };
      generated[f]!.push(row);
      lines.push(JSON.stringify(row));
    }
    await writeFile(join(dir, `logs-${f}.json`), lines.join("\n") + "\n");
  }
});

const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

/**
 * `inputFilter`: a filter the query applies right on the source, which the optimizer pushes
 * into the JSON reader; each batch's numInputRows then counts the rows that pass it (as
 * Spark counts the rows its scan returns with pushed filters), counted here from the
 * generated rows.
 */
async function runBoth(
  transform: (logs: DataFrame) => DataFrame, inputFilter?: (row: LogRow) => boolean,
): Promise<{ batch: unknown[]; stream: unknown[]; name: string }> {
  const batch = await transform(spark.read.schema(LOG_DDL).json(dir)).collect();
  const name = `batch_vs_stream_${process.pid}_${counter++}`;
  const checkpoint = await tempDir("rivulet-batch-vs-stream-ckpt-");
  const streaming = transform(spark.readStream.schema(LOG_DDL).option("maxFilesPerTrigger", 1).json(dir));
  expect(streaming.isStreaming).toBe(true);
  const q = streaming.writeStream.format("memory").queryName(name).outputMode("complete")
    .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
  await q.awaitTermination();
  expect(q.exception).toBeNull();
  // One file per trigger: as many data batches as files, every row read once.
  const dataBatches = q.recentProgress.filter((p) => p.numInputRows > 0);
  expect(dataBatches).toHaveLength(NUM_FILES);
  const inputRows = generated.map((rows) => rows.filter(inputFilter ?? (() => true)).length);
  expect(dataBatches.map((p) => p.numInputRows)).toEqual(inputRows);
  const stream = await spark.table(name).collect();
  return { batch, stream, name };
}

const queries: { name: string; transform: (logs: DataFrame) => DataFrame; inputFilter?: (row: LogRow) => boolean }[] = [
  {
    name: "count per action and 1-hour tumbling window",
    transform: (logs) => logs.groupBy(col("action"), window(col("time"), "1 hour")).count(),
  },
  {
    name: "sum/avg/min/max of bytes per action",
    transform: (logs) => logs.groupBy("action").agg(sum("bytes"), avg("bytes"), min("bytes"), max("bytes"), count("*")),
  },
  {
    name: "sliding 1-hour windows every 20 minutes",
    transform: (logs) => logs.groupBy(window(col("time"), "1 hour", "20 minutes")).agg(count("*").as("n"), sum("bytes").as("total")),
  },
  {
    name: "approx_count_distinct of userId per action",
    transform: (logs) => logs.groupBy("action").agg(approx_count_distinct("userId").as("users")),
  },
  {
    name: "filter and derived column before the aggregation",
    transform: (logs) => logs.filter(col("bytes").isNotNull().and(col("action").notEqual("search")))
      .withColumn("h", hour(col("time"))).groupBy("h", "action").agg(count("*").as("n"), max("bytes").as("maxBytes")),
    inputFilter: (row) => row.bytes !== null && row.action !== "search",
  },
];

describe("batch and streaming runs of the same aggregation agree", () => {
  test.each(queries)("$name", async ({ transform, inputFilter }) => {
    const { batch, stream } = await runBoth(transform, inputFilter);
    expect(batch.length).toBeGreaterThan(0);
    expect(canon(stream)).toEqual(canon(batch));
  });

  test("the streaming result equals an independent computation in JS", async () => {
    const { stream } = await runBoth((logs) => logs.groupBy("action").agg(count("*").as("n"), sum("bytes").as("total")));
    // From the rows as generated, not as any rivulet reader returns them.
    const rows = generated.flat();
    expect(rows).toHaveLength(NUM_FILES * ROWS_PER_FILE);
    const expected = new Map<string, { action: string; n: number; total: number | null }>();
    for (const r of rows) {
      const e = expected.get(r.action) ?? { action: r.action, n: 0, total: null };
      e.n++;
      if (r.bytes !== null) e.total = (e.total ?? 0) + r.bytes;
      expected.set(e.action, e);
    }
    expect(canon(stream)).toEqual(canon([...expected.values()]));
  });
});

/** The streaming run of `transform` under extra settings, as canonical rows. */
async function streamWith(settings: Record<string, string | number>, transform: (logs: DataFrame) => DataFrame): Promise<string[]> {
  for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
  try {
    const name = `batch_vs_stream_${process.pid}_${counter++}`;
    const checkpoint = await tempDir("rivulet-batch-vs-stream-ckpt-");
    const q = transform(spark.readStream.schema(LOG_DDL).option("maxFilesPerTrigger", 1).json(dir))
      .writeStream.format("memory").queryName(name).outputMode("complete")
      .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    return canon(await spark.table(name).collect());
  } finally {
    for (const k of Object.keys(settings)) spark.conf.unset(k);
  }
}

describe("the optimizer and the parallel map side change no result", () => {
  test.each(queries)("$name", async ({ transform }) => {
    const batchOff = (() => { spark.conf.set("spark.sql.optimizer.excludedRules", "*"); return transform(spark.read.schema(LOG_DDL).json(dir)).collect(); })();
    const unoptimizedBatch = canon(await batchOff.finally(() => spark.conf.unset("spark.sql.optimizer.excludedRules")));
    const optimized = await streamWith({}, transform);
    expect(optimized.length).toBeGreaterThan(0);
    expect(await streamWith({ "spark.sql.optimizer.excludedRules": "*" }, transform)).toEqual(optimized);
    expect(unoptimizedBatch).toEqual(optimized);
    expect(await streamWith({ "rivulet.sql.parallelism": 2, "rivulet.sql.shuffle.partitions": 3 }, transform)).toEqual(optimized);
  });

  test("each rule can be left out alone; an unknown rule name is refused with the list", async () => {
    const transform = queries[4]!.transform;
    const all = await streamWith({}, transform);
    for (const rule of ["constant_folding", "push_down_filter", "push_filter_into_scan", "column_pruning"]) {
      expect(await streamWith({ "spark.sql.optimizer.excludedRules": rule }, transform), rule).toEqual(all);
    }
    spark.conf.set("spark.sql.optimizer.excludedRules", "push_down_filters");
    try {
      expect(() => transform(spark.read.schema(LOG_DDL).json(dir)).explain()).toThrow(/unknown rule 'push_down_filters'; the rules are eliminate_subquery_aliases, constant_folding/);
    } finally {
      spark.conf.unset("spark.sql.optimizer.excludedRules");
    }
  });
});
