import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RuntimeConfig } from "../../src/common/config.ts";
import { AnalysisError, ConcurrentQueryError, ConnectorError, PermanentConnectorError, StreamingQueryException } from "../../src/common/errors.ts";
import { setLogSink } from "../../src/common/log.ts";
import { nextRestartDelay, notRestartableBecause, restartStrategyOf, type RestartStrategy } from "../../src/execution/restart-strategy.ts";
import { Session, type DataFrame, type StreamingQueryListener } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const spark = Session.builder().appName("restart-strategy").getOrCreate();
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

describe("the restart policy", () => {
  const exponential: RestartStrategy = { kind: "exponential-delay", maxRestarts: 3, windowMs: 60_000, delayMs: 1000, maxDelayMs: 3000 };

  test("exponential-delay doubles up to the cap; fixed-delay stays; at most maxRestarts within the window", () => {
    const now = 1_000_000;
    expect(nextRestartDelay(exponential, [], now)).toBe(1000);
    expect(nextRestartDelay(exponential, [now - 5000], now)).toBe(2000);
    expect(nextRestartDelay(exponential, [now - 5000, now - 3000], now)).toBe(3000);
    expect(nextRestartDelay(exponential, [now - 5000, now - 3000, now - 1000], now)).toBeNull();
    // Restarts older than the window are forgotten.
    expect(nextRestartDelay(exponential, [now - 70_000, now - 65_000, now - 1000], now)).toBe(2000);
    expect(nextRestartDelay({ ...exponential, kind: "fixed-delay" }, [now - 1000, now - 500], now)).toBe(1000);
    expect(nextRestartDelay({ ...exponential, kind: "none" }, [], now)).toBeNull();
  });

  test("from the conf and the option restartOnFailure", () => {
    const conf = new RuntimeConfig();
    expect(restartStrategyOf(conf)).toEqual({ kind: "exponential-delay", maxRestarts: 10, windowMs: 30 * 60_000, delayMs: 1000, maxDelayMs: 60_000 });
    conf.set("rivulet.streaming.restartStrategy", "fixed-delay");
    expect(restartStrategyOf(conf).kind).toBe("fixed-delay");
    expect(restartStrategyOf(conf, "none").kind).toBe("none");
    expect(restartStrategyOf(conf, "false").kind).toBe("none");
    expect(restartStrategyOf(conf, "true").kind).toBe("exponential-delay");
    expect(() => restartStrategyOf(conf, "always")).toThrow(/option restartOnFailure must be one of exponential-delay, fixed-delay, none \(or true \/ false\), not 'always'/);
  });

  test("failures a restart would only repeat are not restarted, wherever they sit in the causes", () => {
    const wrapped = (e: Error) => new StreamingQueryException(`terminated with exception: ${e.message}`, "id", "run", { cause: e });
    expect(notRestartableBecause(wrapped(new AnalysisError("cannot resolve 'x'")))).toMatch(/analysis error/);
    expect(notRestartableBecause(wrapped(new ConnectorError("Malformed records are detected in record parsing (mode FAILFAST): a.json:3")))).toMatch(/FAILFAST/);
    expect(notRestartableBecause(wrapped(new ConcurrentQueryError("[CONCURRENT_QUERY] the checkpoint /c is in use by process 12 on h since t")))).toMatch(/in use by another query/);
    expect(notRestartableBecause(wrapped(new PermanentConnectorError("JDBC sink …: access denied")))).toMatch(/gave up for good/);
    expect(notRestartableBecause(wrapped(new Error("the user's function threw")))).toBeNull();
    expect(notRestartableBecause(wrapped(new ConnectorError("NATS connection closed")))).toBeNull();
  });
});

describe("a failed query with a checkpoint", () => {
  /** Three JSON files of four rows each; a query reading them a file per batch. */
  async function input(): Promise<{ df: DataFrame; values: number[] }> {
    const dir = await tempDir("restart-input-");
    const values: number[] = [];
    for (let f = 0; f < 3; f++) {
      const rows = [0, 1, 2, 3].map((i) => f * 10 + i);
      values.push(...rows);
      await writeFile(join(dir, `part-${f}.json`), rows.map((v) => JSON.stringify({ v })).join("\n") + "\n");
    }
    return { df: spark.readStream.schema("v INT").option("maxFilesPerTrigger", 1).json(dir), values };
  }

  function events(): { listener: StreamingQueryListener; started: string[]; terminated: (string | null)[] } {
    const started: string[] = [];
    const terminated: (string | null)[] = [];
    return { started, terminated, listener: { onQueryStarted: (e) => started.push(e.runId), onQueryTerminated: (e) => terminated.push(e.exception) } };
  }

  test("restarts from the checkpoint when its sink throws once, and ends exactly once", async () => {
    const { df, values } = await input();
    const checkpoint = join(await tempDir("restart-ckpt-"), "ckpt");
    const seen = new Map<number, number[]>();
    const calls: number[] = [];
    const { listener, started, terminated } = events();
    spark.streams.addListener(listener);
    try {
      const q = df.writeStream.option("checkpointLocation", checkpoint).foreachBatch(async (batch, batchId) => {
        const rows = (await batch.collect()).map((r) => Number(r.v));
        calls.push(batchId);
        if (batchId === 1 && calls.filter((b) => b === 1).length === 1) {
          seen.set(-1, rows); // what the failed call was given
          throw new Error("the warehouse API answered 503");
        }
        seen.set(batchId, rows);
      }).start();
      await q.processAllAvailable();
      expect(q.isActive).toBe(true);
      expect(q.exception).toBeNull();
      // Batch 1 ran again with the same offsets (the same rows); nothing was skipped or doubled.
      expect(calls).toEqual([0, 1, 1, 2]);
      expect(seen.get(1)).toEqual(seen.get(-1));
      seen.delete(-1);
      expect([...seen.values()].flat().sort((a, b) => a - b)).toEqual(values);
      expect(logs.some((l) => /WARN RestartingExecution: query .* failed \(the warehouse API answered 503\); restarting it from the checkpoint .*ckpt in 0\.1 s \(restart 1, exponential-delay, at most 10 in 30 minutes\)/.test(l))).toBe(true);
      await q.stop();
      expect(q.exception).toBeNull();
      expect(started).toEqual([q.runId]);
      expect(terminated).toEqual([null]);
    } finally {
      spark.streams.removeListener(listener);
    }
  });

  test("restartOnFailure none: the query terminates with the failure", async () => {
    const { df } = await input();
    const checkpoint = join(await tempDir("restart-ckpt-"), "ckpt");
    const { listener, terminated } = events();
    spark.streams.addListener(listener);
    try {
      const q = df.writeStream.option("checkpointLocation", checkpoint).option("restartOnFailure", "none").foreachBatch(() => {
        throw new Error("the warehouse API answered 503");
      }).start();
      // Spark's prettyIdString: an unnamed query is named by its ids alone (not its id twice).
      await expect(q.awaitTermination()).rejects.toThrow(`Query [id = ${q.id}, runId = ${q.runId}] terminated with exception: the warehouse API answered 503`);
      expect(q.isActive).toBe(false);
      expect(terminated).toHaveLength(1);
      expect(terminated[0]).toMatch(/the warehouse API answered 503/);
    } finally {
      spark.streams.removeListener(listener);
    }
  });

  test("too many restarts in the window: the query fails for good, awaitTermination rejects only then", async () => {
    const { df } = await input();
    const checkpoint = join(await tempDir("restart-ckpt-"), "ckpt");
    let calls = 0;
    const { listener, terminated } = events();
    spark.streams.addListener(listener);
    spark.conf.set("rivulet.streaming.restartStrategy.maxRestarts", "2");
    try {
      const q = df.writeStream.option("checkpointLocation", checkpoint).option("restartOnFailure", "fixed-delay").foreachBatch(() => {
        calls++;
        throw new Error(`failure ${calls}`);
      }).start();
      await expect(q.awaitTermination()).rejects.toThrow(/terminated with exception: failure 3$/);
      expect(calls).toBe(3);
      expect(terminated).toEqual([expect.stringMatching(/failure 3$/)]);
      expect(logs.some((l) => /ERROR RestartingExecution: query .* failed and is not restarted: it was restarted 2 times within 30 minutes \(fixed-delay\)/.test(l))).toBe(true);
    } finally {
      spark.conf.unset("rivulet.streaming.restartStrategy.maxRestarts");
      spark.streams.removeListener(listener);
    }
  });

  test("without a checkpoint there is no restart, and the log says why", async () => {
    const { df } = await input();
    const q = df.writeStream.foreachBatch(() => { throw new Error("no checkpoint here"); }).start();
    await expect(q.awaitTermination()).rejects.toThrow(/no checkpoint here/);
    expect(logs.some((l) => /WARN RestartingExecution: query .* failed and is not restarted: without a checkpointLocation a restart cannot continue exactly where it stopped/.test(l))).toBe(true);
  });
});
