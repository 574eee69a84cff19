import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, type Row, type StreamingQuery } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { waitFor } from "../wait-for.ts";

/**
 * The checkpoint lock (one writer per checkpoint) and the restart strategy together: a
 * query restarted after a failure holds its checkpoint through the wait before the restart
 * and after it, so neither a query of another session nor another process can start on it
 * in between; and the restarted query's answer is exact.
 */
const JOB = join(import.meta.dirname, "jobs", "word-count-job.ts");
const WORDS = ["apple", "pear", "plum", "fig"];
const RESTART_DELAY_S = 20;
const spark = new Session();
const tempDir = tempDirs(spark);

interface Lock { pid: number; host: string; since: string; runId: string }
const lockOf = async (checkpoint: string): Promise<Lock> =>
  JSON.parse((await readFile(join(checkpoint, "lock"), "utf8")).split("\n")[1]!) as Lock;

/** The word count of test/acceptance/jobs/word-count-job.ts started in another session of this process. */
function startInOtherSession(input: string, checkpoint: string): StreamingQuery {
  return new Session().readStream.schema("word STRING").json(input).groupBy("word").count()
    .writeStream.outputMode("complete").option("checkpointLocation", checkpoint)
    .foreachBatch(() => undefined).start();
}

/** The same job as another process: resolves with its exit code and stderr. */
function runOtherProcess(input: string, checkpoint: string, output: string): Promise<{ code: number | null; stderr: string; exitedAt: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", JOB, input, checkpoint, output, "forever"], {
    stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, VITEST: "" },
  });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += String(d); });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) => child.on("exit", (code) => { clearTimeout(timer); resolve({ code, stderr, exitedAt: Date.now() }); }));
}

describe("a restarted query keeps its checkpoint locked", () => {
  test("foreachBatch fails once: during the wait before the restart and after it, another session and another process are refused with [CONCURRENT_QUERY]; the answer is exact", async () => {
    const input = await tempDir("rivulet-restart-lock-in-");
    const checkpoint = join(await tempDir("rivulet-restart-lock-ck-"), "ckpt");
    const otherOutput = await tempDir("rivulet-restart-lock-out-");
    const totals: Record<string, number> = {};
    let fileNo = 0;
    const addFile = async (): Promise<void> => {
      const words = Array.from({ length: 30 }, (_, i) => WORDS[(i * 7 + fileNo) % WORDS.length]!);
      for (const w of words) totals[w] = (totals[w] ?? 0) + 1;
      const name = `part-${fileNo++}.json`;
      await writeFile(join(input, `.${name}.tmp`), words.map((word) => JSON.stringify({ word })).join("\n") + "\n");
      await rename(join(input, `.${name}.tmp`), join(input, name));
    };

    spark.conf.set("rivulet.streaming.restartStrategy.delay", `${RESTART_DELAY_S} seconds`);
    let answer: Row[] = [];
    let failures = 0;
    await addFile();
    const query = spark.readStream.schema("word STRING").option("maxFilesPerTrigger", 1).json(input).groupBy("word").count()
      .writeStream.outputMode("complete").option("checkpointLocation", checkpoint).option("restartOnFailure", "fixed-delay")
      .foreachBatch(async (df, batchId) => {
        if (batchId === 1 && failures++ === 0) throw new Error("the sink hiccuped");
        answer = await df.collect();
      })
      .start();
    await query.processAllAvailable();
    const held = await lockOf(checkpoint);
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), runId: query.runId });

    // Batch 1 fails; the query waits RESTART_DELAY_S before its restart.
    await addFile();
    await waitFor(() => query.status.message, (m) => m.startsWith("Restarting after a failure: the sink hiccuped"), "the wait before the restart", 30_000);
    const refusal = `[CONCURRENT_QUERY] the checkpoint ${checkpoint} is in use by process ${process.pid} on ${hostname()} since ${held.since}`;
    expect(await lockOf(checkpoint)).toEqual(held);
    const otherSession = startInOtherSession(input, checkpoint);
    await expect(otherSession.awaitTermination()).rejects.toThrow(refusal);
    const otherProcess = await runOtherProcess(input, checkpoint, otherOutput);
    expect(otherProcess.code, otherProcess.stderr).toBe(2);
    expect(otherProcess.stderr).toContain(refusal);
    // Both were refused while the query was still waiting to restart (not by the restarted run).
    expect(query.status.message).toMatch(/^Restarting after a failure/);
    expect(query.isActive).toBe(true);
    expect(await readdir(otherOutput)).toEqual([]);

    // The restart re-runs batch 1 under the same lock; another session is still refused.
    await waitFor(() => failures, (n) => n >= 2, "the restarted run to re-run batch 1", 60_000);
    await query.processAllAvailable();
    expect(await lockOf(checkpoint)).toEqual(held);
    const afterRestart = startInOtherSession(input, checkpoint);
    await expect(afterRestart.awaitTermination()).rejects.toThrow(refusal);

    await addFile();
    await query.processAllAvailable();
    const counts = Object.fromEntries(answer.map((r) => [r.word as string, Number(r.count)]));
    expect(counts).toEqual(totals);
    expect(failures).toBe(2);
    await query.stop();
    expect(query.exception).toBeNull();
    expect(existsSync(join(checkpoint, "lock"))).toBe(false);
    const ids = async (d: string) => (await readdir(join(checkpoint, d))).filter((f) => /^\d+$/.test(f)).sort();
    expect(await ids("commits")).toEqual(await ids("offsets"));
  }, 120_000);

  test("stop() during the wait before a restart ends the query at once and releases the lock; the next start on the checkpoint is exact", async () => {
    const input = await tempDir("rivulet-restart-stop-in-");
    const checkpoint = join(await tempDir("rivulet-restart-stop-ck-"), "ckpt");
    await writeFile(join(input, "a.json"), ["x", "y", "x"].map((word) => JSON.stringify({ word })).join("\n") + "\n");
    const session = new Session();
    session.conf.set("rivulet.streaming.restartStrategy.delay", "10 minutes");
    const failing = session.readStream.schema("word STRING").json(input).groupBy("word").count()
      .writeStream.outputMode("complete").option("checkpointLocation", checkpoint).option("restartOnFailure", "exponential-delay")
      .foreachBatch(() => { throw new Error("the sink hiccuped"); }).start();
    await waitFor(() => failing.status.message, (m) => m.startsWith("Restarting after a failure"), "the wait before the restart", 30_000);
    expect(existsSync(join(checkpoint, "lock"))).toBe(true);
    const stopping = Date.now();
    await failing.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(failing.isActive).toBe(false);
    expect(existsSync(join(checkpoint, "lock"))).toBe(false);

    let answer: Row[] = [];
    const next = session.readStream.schema("word STRING").json(input).groupBy("word").count()
      .writeStream.outputMode("complete").option("checkpointLocation", checkpoint)
      .foreachBatch(async (df) => { answer = await df.collect(); }).start();
    await next.processAllAvailable();
    expect(Object.fromEntries(answer.map((r) => [r.word as string, Number(r.count)]))).toEqual({ x: 2, y: 1 });
    await next.stop();
    expect(existsSync(join(checkpoint, "lock"))).toBe(false);
  }, 60_000);
});
