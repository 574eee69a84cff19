import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { StateSchemaNotCompatibleError } from "../../src/checkpoint/state-schema-compatibility.ts";
import { StatefulOperatorsNotMatchError } from "../../src/checkpoint/stream-metadata.ts";
import { StreamingQueryException } from "../../src/common/errors.ts";
import { setLogSink } from "../../src/common/log.ts";
import { Session, avg, col, count, expr, sum, type DataFrame, type StreamingQuery } from "../../src/index.ts";
import { MemoryStream } from "../../src/testing/index.ts";
import { tempDirs } from "../temp-dirs.ts";

// The default restart strategy (exponential-delay), with a short first delay: a failure it
// retried would keep the query alive for ten restarts, and awaitTermination would time out.
const spark = Session.builder().appName("state-schema-restart").getOrCreate();
spark.conf.set("rivulet.streaming.restartStrategy.delay", "100 milliseconds");
const tempDir = tempDirs(spark);
const logs: string[] = [];

const logLevel = process.env.RIVULET_LOG;

beforeAll(() => {
  process.env.RIVULET_LOG = "warn";
  setLogSink((level, logger, message) => { logs.push(`${level.toUpperCase()} ${logger}: ${message}`); });
});

afterAll(() => {
  if (logLevel === undefined) delete process.env.RIVULET_LOG;
  else process.env.RIVULET_LOG = logLevel;
  setLogSink((level, logger, message) => { process.stderr.write(`${level.toUpperCase()} ${logger}: ${message}\n`); });
});

let queries = 0;
function start(df: DataFrame, checkpoint: string, outputMode: "complete" | "update" | "append"): { query: StreamingQuery; table: string } {
  const table = `state_schema_${queries++}`;
  const query = df.writeStream.format("memory").queryName(table).outputMode(outputMode).option("checkpointLocation", checkpoint).start();
  return { query, table };
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
  return (await spark.table(table).collect()).map((r) => ({ ...r }));
}

/** Runs `before` on a new checkpoint with two rows, stops it, then starts `after` on it. */
async function restartChanged(
  before: () => DataFrame, after: () => DataFrame, feed: () => void, outputMode: "complete" | "update" | "append",
): Promise<{ query: StreamingQuery; table: string; checkpoint: string }> {
  const checkpoint = join(await tempDir("state-schema-"), "ckpt");
  const first = start(before(), checkpoint, outputMode);
  feed();
  await first.query.processAllAvailable();
  await first.query.stop();
  return { ...start(after(), checkpoint, outputMode), checkpoint };
}

/** The restart fails for good at start: exception set, awaitTermination rejects, no restart was tried. */
async function expectRefused(query: StreamingQuery, errorClass: string, message: RegExp): Promise<Error> {
  const failure = await query.awaitTermination(20_000).then(() => null, (e: unknown) => e);
  expect(failure).toBeInstanceOf(StreamingQueryException);
  expect(query.isActive).toBe(false);
  expect(query.exception).toBe(failure);
  const cause = (failure as StreamingQueryException).cause as Error & { errorClass?: string };
  expect(cause.errorClass).toBe(errorClass);
  expect((failure as Error).message).toContain(`failed to start: [${errorClass}]`);
  expect(cause.message).toMatch(message);
  expect(logs.filter((l) => l.includes(`query ${query.name} failed and is not restarted: the checkpoint does not fit the query`))).toHaveLength(1);
  expect(logs.some((l) => l.includes(`query ${query.name} failed (`))).toBe(false);
  return cause;
}

describe("a streaming aggregation restarted after a change its state cannot follow is refused at start", () => {
  // A new input per test: a new checkpoint reads its stream from the start.
  let input: MemoryStream;
  beforeEach(() => {
    input = new MemoryStream(spark, "k STRING, v INT");
    input.toDF().createOrReplaceTempView("schema_events");
  });
  const feed = () => { input.addData([{ k: "a", v: 10 }, { k: "a", v: 20 }]); };
  const countAndSum = () => input.toDF().groupBy("k").agg(count("*").as("n"), sum("v").as("s"));
  const countAndSumSql = () => spark.sql("SELECT k, count(*) AS n, sum(v) AS s FROM schema_events GROUP BY k");

  test.each([
    ["DataFrame", countAndSum, () => input.toDF().groupBy(col("v").as("k")).agg(count("*").as("n"), sum("v").as("s"))],
    ["SQL", countAndSumSql, () => spark.sql("SELECT v AS k, count(*) AS n, sum(v) AS s FROM schema_events GROUP BY v")],
  ])("a STRING key k replaced by an INT key (%s)", async (_, before, after) => {
    const { query, checkpoint } = await restartChanged(before, after, feed, "complete");
    const cause = await expectRefused(query, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE", /Existing key_schema=StructType\(StructField\(k,string,true\)\) and new key_schema=StructType\(StructField\([kv],int,true\)\)/);
    expect(cause).toBeInstanceOf(StateSchemaNotCompatibleError);
    expect(cause.message).toContain(`operator 0 (StatefulAggregate) in the checkpoint ${checkpoint}`);
  });

  test.each([
    ["DataFrame", countAndSum, () => input.toDF().groupBy("k", "v").agg(count("*").as("n"), sum("v").as("s"))],
    ["SQL", countAndSumSql, () => spark.sql("SELECT k, v, count(*) AS n, sum(v) AS s FROM schema_events GROUP BY k, v")],
  ])("an added grouping key (%s)", async (_, before, after) => {
    const { query } = await restartChanged(before, after, feed, "complete");
    await expectRefused(query, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE", /new key_schema=StructType\(StructField\(k,string,true\),StructField\(v,int,true\)\)/);
  });

  test.each([
    ["DataFrame", countAndSum, () => input.toDF().groupBy("k").agg(count("*").as("n"), avg("v").as("s"))],
    ["SQL", countAndSumSql, () => spark.sql("SELECT k, count(*) AS n, avg(v) AS s FROM schema_events GROUP BY k")],
  ])("sum(v) replaced by avg(v) (%s)", async (_, before, after) => {
    const { query } = await restartChanged(before, after, feed, "complete");
    await expectRefused(query, "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE",
      /Existing value_schema=StructType\(StructField\(count\(1\),bigint,true\),StructField\(sum\(v\),struct<sum:bigint,count:bigint>,true\)\) and new value_schema=StructType\(StructField\(count\(1\),bigint,true\),StructField\(avg\(v\),struct<sum:double,count:bigint>,true\)\)/);
  });

  test.each([
    ["DataFrame", () => input.toDF().groupBy("k").agg(count("*").as("n")), () => input.toDF().groupBy("k").agg(sum("v").as("n"))],
    ["SQL", () => spark.sql("SELECT k, count(*) AS n FROM schema_events GROUP BY k"), () => spark.sql("SELECT k, sum(v) AS n FROM schema_events GROUP BY k")],
  ])("count replaced by sum, under the default restart strategy: no restart loop (%s)", async (_, before, after) => {
    const { query } = await restartChanged(before, after, feed, "complete");
    input.addData([{ k: "a", v: 5 }]);
    await expectRefused(query, "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE", /Existing value_schema=StructType\(StructField\(count\(1\),bigint,true\)\)/);
    await expect(query.processAllAvailable()).rejects.toThrow(/STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE/);
  });

  test("an unchanged restart continues from the state, and so does one that only renames columns (names are not compared, as in Spark)", async () => {
    const checkpoint = join(await tempDir("state-schema-"), "ckpt");
    const first = start(countAndSum(), checkpoint, "complete");
    feed();
    await first.query.processAllAvailable();
    await first.query.stop();
    const schemaFile = await readFile(join(checkpoint, "state", "0", "_metadata", "schema"), "utf8");
    expect(schemaFile.split("\n")[0]).toBe("v1");

    const same = start(countAndSumSql(), checkpoint, "complete");
    input.addData([{ k: "a", v: 5 }]);
    await same.query.processAllAvailable();
    expect(await rows(same.table)).toEqual([{ k: "a", n: 3, s: 35 }]);
    await same.query.stop();

    const renamed = start(input.toDF().groupBy(col("k").as("key")).agg(count("*").as("rows"), sum("v").as("total")), checkpoint, "complete");
    input.addData([{ k: "b", v: 1 }]);
    await renamed.query.processAllAvailable();
    expect(await rows(renamed.table)).toEqual([{ key: "a", rows: 3, total: 35 }, { key: "b", rows: 1, total: 1 }]);
    await renamed.query.stop();
    expect(renamed.query.exception).toBeNull();
    // The file is the first run's: never rewritten.
    expect(await readFile(join(checkpoint, "state", "0", "_metadata", "schema"), "utf8")).toBe(schemaFile);
  });

  test("a checkpoint written before state schemas were kept restarts, and gets its schema file then", async () => {
    const checkpoint = join(await tempDir("state-schema-"), "ckpt");
    const first = start(countAndSum(), checkpoint, "complete");
    feed();
    await first.query.processAllAvailable();
    await first.query.stop();
    const metadataDir = join(checkpoint, "state", "0", "_metadata");
    const written = await readFile(join(metadataDir, "schema"), "utf8");
    await rm(metadataDir, { recursive: true });

    const again = start(countAndSum(), checkpoint, "complete");
    input.addData([{ k: "a", v: 5 }]);
    await again.query.processAllAvailable();
    expect(await rows(again.table)).toEqual([{ k: "a", n: 3, s: 35 }]);
    await again.query.stop();
    expect(await readFile(join(metadataDir, "schema"), "utf8")).toBe(written);

    // From then on a change is refused.
    const changed = start(input.toDF().groupBy("k").agg(count("*").as("n"), avg("v").as("s")), checkpoint, "complete");
    await expectRefused(changed.query, "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE", /avg\(v\)/);
  });

  test("spark.sql.streaming.stateStore.stateSchemaCheck=false runs the changed query anyway, with a warning", async () => {
    const session = spark.newSession();
    session.conf.set("spark.sql.streaming.stateStore.stateSchemaCheck", "false");
    const view = new MemoryStream(session, "k STRING, v INT");
    const checkpoint = join(await tempDir("state-schema-"), "ckpt");
    const first = view.toDF().groupBy("k").agg(sum("v").as("s")).writeStream.format("memory").queryName("state_schema_unchecked_a")
      .outputMode("complete").option("checkpointLocation", checkpoint).start();
    view.addData([{ k: "a", v: 10 }, { k: "a", v: 20 }]);
    await first.processAllAvailable();
    await first.stop();
    const second = view.toDF().groupBy("k").agg(avg("v").as("s")).writeStream.format("memory").queryName("state_schema_unchecked_b")
      .outputMode("complete").option("checkpointLocation", checkpoint).start();
    view.addData([{ k: "a", v: 5 }]);
    await second.processAllAvailable();
    // rivulet's sum keeps a sum and a count, which avg reads as its own: the mean of all three rows.
    expect((await session.table("state_schema_unchecked_b").collect()).map((r) => ({ ...r }))).toEqual([{ k: "a", s: 35 / 3 }]);
    await second.stop();
    expect(logs.some((l) => /WARN StateSchemaCheck: \[STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE\].*\(running anyway: spark\.sql\.streaming\.stateStore\.stateSchemaCheck is false\)/.test(l))).toBe(true);
  });
});

describe("dropDuplicates, stream–stream joins and session windows restarted with other keys are refused at start", () => {
  test("dropDuplicates(k) replaced by dropDuplicates(v) (DataFrame)", async () => {
    const input = new MemoryStream(spark, "k STRING, v INT");
    const { query } = await restartChanged(
      () => input.toDF().dropDuplicates(["k"]), () => input.toDF().dropDuplicates(["v"]),
      () => { input.addData([{ k: "a", v: 1 }, { k: "b", v: 2 }]); }, "append");
    input.addData([{ k: "c", v: 0 }]);
    await expectRefused(query, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE",
      /operator 0 \(StreamingDeduplicate\).*Existing key_schema=StructType\(StructField\(k,string,true\)\) and new key_schema=StructType\(StructField\(v,int,true\)\)/);
  });

  test("SELECT DISTINCT k replaced by SELECT DISTINCT v (SQL)", async () => {
    const input = new MemoryStream(spark, "k STRING, v INT");
    input.toDF().createOrReplaceTempView("schema_distinct");
    const { query } = await restartChanged(
      () => spark.sql("SELECT DISTINCT k FROM schema_distinct"), () => spark.sql("SELECT DISTINCT v FROM schema_distinct"),
      () => { input.addData([{ k: "a", v: 1 }]); }, "update");
    await expectRefused(query, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE", /key_schema=StructType\(StructField\(k,string,true\)\) and new key_schema=StructType\(StructField\(v,int,true\)\)/);
  });

  const left = new MemoryStream(spark, "id INT, x STRING");
  const right = new MemoryStream(spark, "id INT, y STRING");
  left.toDF().createOrReplaceTempView("schema_left");
  right.toDF().createOrReplaceTempView("schema_right");
  const feedJoin = () => { left.addData([{ id: 1, x: "l1" }]); right.addData([{ id: 2, y: "r2" }]); };

  test.each([
    ["DataFrame", () => left.toDF().join(right.toDF(), ["id"]), () => left.toDF().join(right.toDF(), expr("x = y"))],
    ["SQL", () => spark.sql("SELECT * FROM schema_left JOIN schema_right USING (id)"), () => spark.sql("SELECT * FROM schema_left l JOIN schema_right r ON l.x = r.y")],
  ])("a join on id replaced by a join on x = y (%s)", async (_, before, after) => {
    const { query } = await restartChanged(before, after, feedJoin, "append");
    await expectRefused(query, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE",
      /operator 0 \(StreamingSymmetricHashJoin, store left\).*Existing key_schema=StructType\(StructField\(field0,int,true\)\) and new key_schema=StructType\(StructField\(field0,string,true\)\)/);
  });

  test("an unchanged join restarts and matches new rows with the old state", async () => {
    const checkpoint = join(await tempDir("state-schema-"), "ckpt");
    const first = start(left.toDF().join(right.toDF(), ["id"]), checkpoint, "append");
    left.addData([{ id: 7, x: "l7" }]);
    await first.query.processAllAvailable();
    await first.query.stop();
    const again = start(spark.sql("SELECT * FROM schema_left JOIN schema_right USING (id)"), checkpoint, "append");
    right.addData([{ id: 7, y: "r7" }]);
    await again.query.processAllAvailable();
    expect(await rows(again.table)).toEqual([{ id: 7, x: "l7", y: "r7" }]);
    await again.query.stop();
  });

  test("a session window grouped by another key (SQL)", async () => {
    const input = new MemoryStream(spark, "user STRING, v INT, time TIMESTAMP");
    input.toDF().createOrReplaceTempView("schema_sessions");
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const { query } = await restartChanged(
      () => spark.sql("SELECT user, session_window, count(*) AS n FROM schema_sessions GROUP BY user, session_window(time, '5 minutes')"),
      () => spark.sql("SELECT v, session_window, count(*) AS n FROM schema_sessions GROUP BY v, session_window(time, '5 minutes')"),
      () => { input.addData([{ user: "u", v: 1, time: at(0) }]); }, "complete");
    await expectRefused(query, "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE",
      /operator 0 \(SessionWindowAggregate\).*key_schema=StructType\(StructField\(user,string,true\)\) and new key_schema=StructType\(StructField\(v,int,true\)\)/);
  });
});

describe("a restart with other stateful operators is refused at start", () => {
  test("an aggregation replaced by dropDuplicates (DataFrame) and by SELECT … LIMIT (SQL)", async () => {
    const input = new MemoryStream(spark, "k STRING, v INT");
    input.toDF().createOrReplaceTempView("schema_operators");
    const feed = () => { input.addData([{ k: "a", v: 1 }]); };
    const aggregation = () => input.toDF().groupBy("k").agg(count("*").as("n"));
    const dedup = await restartChanged(aggregation, () => input.toDF().dropDuplicates(["k"]), feed, "update");
    const cause = await expectRefused(dedup.query, "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA",
      /stateful operators \[0:StatefulAggregate\] but this query has \[0:StreamingDeduplicate\]/);
    expect(cause).toBeInstanceOf(StatefulOperatorsNotMatchError);
    const limit = await restartChanged(() => spark.sql("SELECT DISTINCT k, v FROM schema_operators"), () => spark.sql("SELECT k FROM schema_operators LIMIT 3"), feed, "append");
    await expectRefused(limit.query, "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA", /but this query has \[0:StreamingGlobalLimit\]/);
  });
});
