import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { Session, col, window } from "../../src/index.ts";
import { MYSQL_URL, mysqlConnection, mysqlRows, removeTempDirs, tempDir } from "../connectors/jdbc/helpers.ts";
import { runJobProcess } from "./job-process.ts";

/**
 * The issue's crash test: the headline job runs in a child process, writing counts to
 * MySQL with a checkpoint while input files keep arriving; it is SIGKILLed at random
 * points (some right after the sink's transaction committed, before the commit log),
 * then finishes with availableNow. Update mode, and append mode with a watermark (whose
 * table has no key: a replayed batch would double its rows). The table must equal the batch result of the same
 * query over all the input: nothing missing, nothing counted twice.
 */
const JOB = join(import.meta.dirname, "jobs", "jdbc-counts-job.ts");
const ACTIONS = ["click", "view", "buy", "search"];
const conn = await mysqlConnection();
const tables: string[] = [];

afterAll(async () => {
  for (const t of tables) await conn.query(`DROP TABLE IF EXISTS \`${t}\``);
  await conn.end();
  await removeTempDirs();
});

const runJob = (args: string[]) => runJobProcess(JOB, args);

/** Batches with an offsets entry but no commit: what the next run re-runs. */
async function uncommittedBatches(checkpoint: string): Promise<number> {
  const list = async (d: string) => (await readdir(join(checkpoint, d)).catch(() => [] as string[])).filter((f) => /^\d+$/.test(f));
  const commits = new Set(await list("commits"));
  return (await list("offsets")).filter((f) => !commits.has(f)).length;
}

let random = 42;
const next = (): number => { random = (random * 1103515245 + 12345) % 2 ** 31; return random / 2 ** 31; };

test.each(["update", "append"] as const)("%s mode: SIGKILL at random points never loses or doubles a count", async (outputMode) => {
  const table = `crash_${outputMode}_${process.pid}`;
  tables.push(table);
  const input = await tempDir("crash-input");
  const staging = await tempDir("crash-staging");
  const checkpoint = join(await tempDir("crash-ckpt"), "ckpt");
  let fileNo = 0;
  const written: { time: string; action: string }[] = []; // every row as generated, for the independent totals
  const addFile = async (): Promise<void> => {
    const lines = Array.from({ length: 50 }, () => {
      // Logs move forward in time, ten minutes a file, so no row is behind the watermark.
      const minute = fileNo * 10 + Math.floor(next() * 10);
      const time = new Date(Date.UTC(2026, 0, 1, 8) + minute * 60_000).toISOString();
      const row = { time, action: ACTIONS[Math.floor(next() * ACTIONS.length)]! };
      written.push(row);
      return JSON.stringify(row);
    });
    const name = `part-${String(fileNo++).padStart(4, "0")}.json`;
    await writeFile(join(staging, name), lines.join("\n") + "\n");
    await rename(join(staging, name), join(input, name));
  };
  const replays: number[] = [];
  await mkdir(input, { recursive: true });
  for (let i = 0; i < 3; i++) await addFile();

  const kills = 6;
  for (let round = 0; round < kills; round++) {
    // Every other run dies right after the sink's transaction committed, before commits/<id>.
    const crashAfterSink = round % 2 === 0;
    const { child, exited } = runJob([input, checkpoint, table, MYSQL_URL, "forever", outputMode, ...(crashAfterSink ? ["crash-after-sink"] : [])]);
    for (let i = 0; i < 3; i++) await addFile();
    if (crashAfterSink) await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    else await new Promise((r) => setTimeout(r, 300 + next() * 1500));
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    if (crashAfterSink) replays.push(await uncommittedBatches(checkpoint));
    await addFile();
  }
  expect(replays.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  const { exited } = runJob([input, checkpoint, table, MYSQL_URL, "availableNow", outputMode]);
  expect(await exited).toBe(0);

  const spark = Session.builder().getOrCreate();
  const expected = await spark.read.schema("time TIMESTAMP, action STRING").json(input)
    .groupBy(window(col("time"), "1 hour"), col("action")).count().collect();
  const key = (start: Date | string, action: unknown) => `${new Date(start).toISOString().slice(0, 16)} ${String(action)}`;
  // Append mode emits a window once the watermark (latest event − 30 minutes) has passed its end.
  const all = await spark.read.schema("time TIMESTAMP, action STRING").json(input).collect();
  const watermark = Math.max(...all.map((r) => (r.time as Date).getTime())) - 30 * 60_000;
  const emitted = outputMode === "update" ? expected : expected.filter((r) => (r.window as { end: Date }).end.getTime() <= watermark);
  const want = emitted.map((r) => `${key((r.window as { start: Date }).start, r.action)}=${Number(r.count)}`).sort();
  expect(want.length).toBeGreaterThan(0);
  const rows = await mysqlRows(conn, `SELECT window_start, action, count FROM \`${table}\``);
  const got = rows.map((r) => `${key(`${String(r.window_start).replace(" ", "T")}Z`, r.action)}=${Number(r.count)}`).sort();
  expect(got).toEqual(want);
  // Independent of rivulet: the total of the counts, from the rows as generated. Append mode
  // holds back the windows the final watermark has not passed (their end > max time − 30 min).
  const maxTime = Math.max(...written.map((r) => Date.parse(r.time)));
  const inEmittedWindow = (r: { time: string }): boolean => outputMode === "update" || Math.floor(Date.parse(r.time) / 3_600_000) * 3_600_000 + 3_600_000 <= maxTime - 30 * 60_000;
  expect(written).toHaveLength(fileNo * 50);
  const total = written.filter(inEmittedWindow).length;
  expect(total).toBeGreaterThan(0);
  expect(got.reduce((n, s) => n + Number(s.split("=")[1]), 0)).toBe(total);
}, 180_000);
