import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, ConcurrentQueryError, Session, StreamingContext, StreamingQueryException, type Row, type StreamingQuery } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/** One query per checkpoint within a process: Spark's refusal at start(), and the lock for queries of other sessions. */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);
const schema = "word STRING";

async function addWords(dir: string, name: string, words: string[]): Promise<void> {
  await writeFile(join(dir, `${name}.json`), words.map((word) => JSON.stringify({ word })).join("\n") + "\n");
}

/** A word count over `input` (complete mode) whose latest answer is kept in `answer`. */
function startCount(session: Session, input: string, checkpoint: string, answer: { rows: Row[] }): StreamingQuery {
  return session.readStream.schema(schema).json(input).groupBy("word").count()
    .writeStream.outputMode("complete").option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => { answer.rows = await df.collect(); })
    .start();
}

const counts = (rows: Row[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.word as string, Number(r.count)]));
const sparkSentence = (id: string): string =>
  `Cannot start query with id ${id} as another query with same id is already active. ` +
  `Perhaps you are attempting to restart a query from checkpoint that is already active.`;

describe("one query per checkpoint in a process", () => {
  test("a second start on an active checkpoint fails at start() with Spark's words (fresh checkpoint, then restarted, however the path is spelt)", async () => {
    const input = await tempDir("rivulet-inuse-in-");
    const checkpoint = join(await tempDir("rivulet-inuse-ck-"), "ckpt");
    await addWords(input, "a", ["x", "y", "x"]);
    const answer = { rows: [] as Row[] };
    const first = startCount(spark, input, checkpoint, answer);
    // Before the first query has written its checkpoint's metadata: same id, refused.
    expect(() => startCount(spark, input, checkpoint, { rows: [] })).toThrow(AnalysisError);
    expect(() => startCount(spark, input, checkpoint, { rows: [] })).toThrow(sparkSentence(first.id));
    await first.processAllAvailable();
    for (const spelling of [`${checkpoint}/`, relative(process.cwd(), checkpoint), join(checkpoint, "..", "ckpt")]) {
      expect(() => startCount(spark, input, spelling, { rows: [] })).toThrow(sparkSentence(first.id));
    }
    expect(spark.streams.active).toEqual([first]);
    await addWords(input, "b", ["y"]);
    await first.processAllAvailable();
    expect(counts(answer.rows)).toEqual({ x: 2, y: 2 });
    await first.stop();

    // Stopped: the checkpoint is free again, and the restart keeps the query id.
    const again = startCount(spark, input, checkpoint, answer);
    expect(again.id).toBe(first.id);
    await addWords(input, "c", ["z"]);
    await again.processAllAvailable();
    expect(counts(answer.rows)).toEqual({ x: 2, y: 2, z: 1 });
    await again.stop();
  });

  test("a query of another session on the same checkpoint fails with [CONCURRENT_QUERY]; the first is untouched", async () => {
    const input = await tempDir("rivulet-inuse-in-");
    const checkpoint = join(await tempDir("rivulet-inuse-ck-"), "ckpt");
    await addWords(input, "a", ["x", "y"]);
    const answer = { rows: [] as Row[] };
    const first = startCount(spark, input, checkpoint, answer);
    await first.processAllAvailable();
    const lock = JSON.parse((await readFile(join(checkpoint, "lock"), "utf8")).split("\n")[1]!) as Record<string, unknown>;
    expect(lock).toMatchObject({ pid: process.pid, host: hostname(), queryId: first.id, runId: first.runId });

    const other = new Session();
    const second = startCount(other, input, checkpoint, { rows: [] });
    const error = await second.awaitTermination().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamingQueryException);
    expect((error as Error).message).toContain(
      `[CONCURRENT_QUERY] the checkpoint ${checkpoint} is in use by process ${process.pid} on ${hostname()} since ${String(lock.since)}`,
    );
    expect((error as Error).cause).toBeInstanceOf(ConcurrentQueryError);
    expect(second.exception).toBe(error);
    expect(second.isActive).toBe(false);

    expect(first.isActive).toBe(true);
    await addWords(input, "b", ["x"]);
    await first.processAllAvailable();
    expect(counts(answer.rows)).toEqual({ x: 2, y: 1 });
    await first.stop();
    await expect(readFile(join(checkpoint, "lock"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  test("a query that fails releases the checkpoint", async () => {
    const input = await tempDir("rivulet-inuse-in-");
    const checkpoint = join(await tempDir("rivulet-inuse-ck-"), "ckpt");
    await addWords(input, "a", ["boom"]);
    const failing = spark.readStream.schema(schema).json(input).groupBy("word").count()
      .writeStream.outputMode("complete").option("checkpointLocation", checkpoint).option("restartOnFailure", "none")
      .foreachBatch(() => { throw new Error("the sink is down"); }).start();
    await expect(failing.awaitTermination()).rejects.toThrow("the sink is down");
    await expect(readFile(join(checkpoint, "lock"), "utf8")).rejects.toThrow(/ENOENT/);
    const answer = { rows: [] as Row[] };
    const next = startCount(spark, input, checkpoint, answer);
    await next.processAllAvailable();
    expect(counts(answer.rows)).toEqual({ boom: 1 });
    await next.stop();
  });

  test("two StreamingContexts on one checkpoint directory: the second fails with [CONCURRENT_QUERY]", async () => {
    const dir = await tempDir("rivulet-inuse-dstream-");
    const make = (): StreamingContext => {
      const ssc = new StreamingContext(new Session(), 1, { clock: "manual" });
      ssc.checkpoint(dir);
      ssc.queueStream([[1], [2]]).foreachRDD(() => undefined);
      return ssc;
    };
    const first = make();
    first.start();
    // The first holds the lock once its start-up has run.
    for (let i = 0; i < 500 && !existsSync(join(dir, "lock")); i++) await new Promise((r) => setTimeout(r, 10));
    const second = make();
    second.start();
    await expect(second.awaitTermination()).rejects.toThrow(`[CONCURRENT_QUERY] the checkpoint ${dir} is in use by process ${process.pid}`);
    expect(first.getState()).toBe("ACTIVE");
    await first.stop();
    await expect(readFile(join(dir, "lock"), "utf8")).rejects.toThrow(/ENOENT/);
  });
});

describe("offsets and commits are written once, by one writer (Spark's HDFSMetadataLog)", () => {
  // Another writer is simulated by a sink that writes the log entry the engine is about to write.
  test.each([
    ["commits", 0],
    ["offsets", 1],
  ] as const)("a %s entry (batch %i) written by another writer during batch 0 stops the query", async (log, batchId) => {
    const input = await tempDir("rivulet-inuse-in-");
    const checkpoint = join(await tempDir("rivulet-inuse-ck-"), "ckpt");
    await addWords(input, "a", ["x"]);
    await addWords(input, "b", ["y"]);
    const intruder = `v1\n${log === "commits" ? '{"nextBatchWatermarkMs":0}' : '{"batchWatermarkMs":0,"batchTimestampMs":0,"conf":{}}\n-'}`;
    const query = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(input)
      .writeStream.option("checkpointLocation", checkpoint)
      .foreachBatch(async (_df, id) => {
        if (id !== 0) return;
        await mkdir(join(checkpoint, log), { recursive: true });
        await writeFile(join(checkpoint, log, String(batchId)), intruder);
      })
      .start();
    const error = await query.awaitTermination().catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(ConcurrentQueryError);
    expect((error as Error).message).toContain(`Multiple streaming queries are concurrently using ${join(checkpoint, log)}`);
    // The other writer's entry is left as it was.
    expect(await readFile(join(checkpoint, log, String(batchId)), "utf8")).toBe(intruder);
  });
});
