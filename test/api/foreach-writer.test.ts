import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { Session, col, count, type ForeachWriter, type Row } from "../../src/index.ts";
import { MemoryStream } from "../../src/testing/index.ts";
import { tempDirs } from "../temp-dirs.ts";

// writeStream.foreach: Spark's ForeachWriter (open/process/close per epoch) and PySpark's function of a row.
const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);

interface Event { readonly user: string; readonly n: number }

test("a ForeachWriter is opened per epoch with the batch id, gets each row, and is closed with null", async () => {
  const input = new MemoryStream<Event>(spark, "user STRING, n INT");
  const calls: unknown[] = [];
  const writer: ForeachWriter<{ user: string; total: number }> = {
    open: (partitionId, epochId) => { calls.push(["open", partitionId, epochId]); return true; },
    process: (row) => { calls.push(["process", row.user, row.total]); },
    close: (error) => { calls.push(["close", error]); },
  };
  const q = input.toDF().groupBy("user").agg(count("*").as("total")).writeStream.outputMode("update").foreach(writer).start();
  try {
    input.addData({ user: "ann", n: 1 }, { user: "bob", n: 2 });
    await q.processAllAvailable();
    input.addData({ user: "ann", n: 3 });
    await q.processAllAvailable();
  } finally {
    await q.stop();
  }
  const byEpoch = (epoch: number) => calls.slice(calls.findIndex((c) => (c as unknown[])[0] === "open" && (c as unknown[])[2] === epoch));
  expect(byEpoch(0).slice(0, 4).map((c) => (c as unknown[])[0])).toEqual(["open", "process", "process", "close"]);
  expect(calls.filter((c) => (c as unknown[])[0] === "process").sort()).toEqual([["process", "ann", 1], ["process", "ann", 2], ["process", "bob", 1]]);
  expect(byEpoch(1)).toEqual([["open", 0, 1], ["process", "ann", 2], ["close", null]]);
  expect(q.lastProgress?.sink.description).toBe("ForeachWriterTable");
});

test("open returning false skips the epoch's rows; a writer that dedups by epoch id writes a re-run batch once", async () => {
  const base = await tmp("foreach-epochs");
  const input = join(base, "in");
  await mkdir(input);
  await writeFile(join(input, "1.json"), '{"user":"ann","n":1}\n{"user":"bob","n":2}\n');
  const written = new Map<number, string[]>();
  let current: string[] = [];
  let failOnce = true;
  // The writer remembers the epochs it completed, as a sink keyed by epoch id would.
  const writer: ForeachWriter<Row> = {
    open: (_p, epochId) => { current = []; return !written.has(epochId); },
    process: (row) => {
      if (failOnce && row.user === "bob") { failOnce = false; throw new Error("the target is down"); }
      current.push(String(row.user));
    },
    close: (error) => { if (error === null) written.set(written.size, current); },
  };
  // No restart on failure: the failed epoch is offered again by the next run, from the checkpoint.
  const start = () => spark.readStream.schema("user STRING, n INT").json(input).filter(col("n").gt(0))
    .writeStream.option("checkpointLocation", join(base, "cp")).option("restartOnFailure", "false").trigger({ availableNow: true }).foreach(writer).start();
  const failed = start();
  await expect(failed.awaitTermination()).rejects.toThrow("the target is down");
  expect(written.size).toBe(0);
  const rerun = start();
  await rerun.awaitTermination();
  expect([...written.entries()]).toEqual([[0, ["ann", "bob"]]]);
  // The epoch is done: open says no, nothing is processed again.
  const seen: string[] = [];
  await writeFile(join(input, "2.json"), '{"user":"cy","n":3}\n');
  const again = spark.readStream.schema("user STRING, n INT").json(input)
    .writeStream.option("checkpointLocation", join(base, "cp")).trigger({ availableNow: true })
    .foreach({ open: (_p, epochId) => epochId !== 1, process: (row: Row) => { seen.push(String(row.user)); } }).start();
  await again.awaitTermination();
  expect(seen).toEqual([]);
});

test("PySpark's form: a function of a row", async () => {
  const input = new MemoryStream<Event>(spark, "user STRING, n INT");
  const users: string[] = [];
  const q = input.toDF().writeStream.foreach((row: Row) => { users.push(`${String(row.user)}:${String(row.n)}`); }).start();
  try {
    input.addData({ user: "ann", n: 1 }, { user: "bob", n: 2 });
    await q.processAllAvailable();
  } finally {
    await q.stop();
  }
  expect(users).toEqual(["ann:1", "bob:2"]);
  expect(() => input.toDF().writeStream.foreach({} as ForeachWriter<Row>)).toThrow("foreach: the writer needs a process(row) method");
});
