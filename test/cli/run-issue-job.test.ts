import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { afterAll, describe, expect, test } from "vitest";
import { CliProcess, removeTempDirs, tempDir } from "./helpers.ts";

const { Database } = pkg;

afterAll(removeTempDirs);

/** Issue 15's job, word for word, run from its own directory (relative paths). */
const ISSUE_JOB = `
CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path 'logs/');
CREATE TABLE counts USING jdbc OPTIONS (url 'jdbc:sqlite:counts.db', dbtable 'counts', checkpointLocation 'ckpt/', outputMode 'update');
INSERT INTO counts SELECT action, window(time, '1 hour') AS w, count(*) AS n FROM logs GROUP BY action, window(time, '1 hour');
`;
const ACTIONS = ["view", "click", "buy"];

/** One hour of logs (whole, by rename): `perAction[i]` events of ACTIONS[i]; returns the events' counts by action. */
async function writeHour(dir: string, hour: number, perAction: readonly number[]): Promise<void> {
  await mkdir(join(dir, "logs"), { recursive: true });
  const lines: string[] = [];
  perAction.forEach((n, i) => {
    for (let k = 0; k < n; k++) lines.push(JSON.stringify({ time: `2026-01-01T${String(hour).padStart(2, "0")}:${String(k % 60).padStart(2, "0")}:00Z`, action: ACTIONS[i] }));
  });
  await writeFile(join(dir, `.h${hour}.tmp`), lines.join("\n") + "\n");
  await rename(join(dir, `.h${hour}.tmp`), join(dir, "logs", `h${hour}.json`));
}

/** The table the job should hold after `hours`: one row per action and hour. */
function expectedCounts(hours: readonly number[], perAction: (hour: number) => readonly number[]): string[] {
  return hours.flatMap((h) => ACTIONS.map((a, i) => `${a} ${String(h).padStart(2, "0")} ${perAction(h)[i]}`)).sort();
}

function tableRows(db: string): string[] {
  const d = new Database(db, { readOnly: true });
  try {
    return (d.all("SELECT action, w_start, n FROM counts") as { action: string; w_start: string; n: number }[])
      .map((r) => `${r.action} ${new Date(r.w_start).toISOString().slice(11, 13)} ${r.n}`).sort();
  } finally {
    d.close();
  }
}

async function waitForRows(db: string, expected: string[], process: CliProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    let rows: string[] = [];
    try { rows = tableRows(db); } catch { /* not created yet */ }
    if (JSON.stringify(rows) === JSON.stringify(expected)) return;
    if (process.child.exitCode !== null || Date.now() > deadline) throw new Error(`the table is ${JSON.stringify(rows)}, not ${JSON.stringify(expected)}:\n${process.stdout}\n${process.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const perAction = (hour: number): number[] => [3 + hour, 2, 1 + (hour % 2)];

describe("rivulet run: issue 15's job as written, run twice, and a failed query restarted", () => {
  test("5 hourly files give 15 rows; a second `rivulet run` of the job fails with [CONCURRENT_QUERY] naming the first, which runs on exact", async () => {
    const dir = await tempDir("issue-job");
    await writeFile(join(dir, "job.sql"), ISSUE_JOB);
    for (let h = 0; h < 5; h++) await writeHour(dir, h, perAction(h));
    const first = new CliProcess(["run", "job.sql"], {}, dir);
    await waitForRows(join(dir, "counts.db"), expectedCounts([0, 1, 2, 3, 4], perAction), first);

    const lock = JSON.parse((await readFile(join(dir, "ckpt", "lock"), "utf8")).split("\n")[1]!) as { since: string };
    const second = await new CliProcess(["run", "job.sql"], {}, dir).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`[CONCURRENT_QUERY] the checkpoint ckpt/ is in use by process ${first.child.pid} on ${hostname()} since ${lock.since}`);

    expect(first.child.exitCode).toBeNull();
    await writeHour(dir, 5, perAction(5));
    await waitForRows(join(dir, "counts.db"), expectedCounts([0, 1, 2, 3, 4, 5], perAction), first);
    first.kill("SIGTERM");
    expect((await first.done).code).toBe(0);
  }, 180_000);

  test("a query that fails is restarted from its checkpoint, logging why; every row is written once", async () => {
    const dir = await tempDir("run-restart");
    await writeFile(join(dir, "job.sql"), `
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path 'logs/');
      CREATE TABLE out USING json OPTIONS (path 'out/', checkpointLocation 'ckpt/');
      INSERT INTO out SELECT action, time FROM logs;
    `);
    await writeHour(dir, 0, [2, 2, 2]);
    const run = new CliProcess(["run", "job.sql", "--conf", "rivulet.streaming.restartStrategy.delay=1 second"], {}, dir);
    await run.waitFor(/out \| batch 0 \|/);

    // The output directory becomes a file: the next batch's write fails, and so does each restart until it is back.
    await rename(join(dir, "out"), join(dir, "out.moved"));
    await writeFile(join(dir, "out"), "not a directory");
    await writeHour(dir, 1, [1, 1, 1]);
    await run.waitFor(/WARN RestartingExecution: query out failed \(.*\); restarting it from the checkpoint ckpt\/ in 1 s \(restart 1, exponential-delay, at most 10 in 30 minutes\)/, 60_000, "stderr");
    await rm(join(dir, "out"));
    await rename(join(dir, "out.moved"), join(dir, "out"));
    await writeHour(dir, 2, [1, 0, 0]);
    await run.waitFor(/out \| batch 2 \|/, 60_000);
    run.kill("SIGTERM");
    expect((await run.done).code).toBe(0);

    const written = (await readdir(join(dir, "out"))).filter((f) => f.endsWith(".json"));
    const rows = (await Promise.all(written.map((f) => readFile(join(dir, "out", f), "utf8")))).flatMap((t) => t.split("\n").filter((l) => l !== ""));
    expect(rows).toHaveLength(6 + 3 + 1);
  }, 180_000);
});
