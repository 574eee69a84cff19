import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { afterAll, describe, expect, test } from "vitest";
import { parsePrometheusText } from "../ui/prometheus-parser.ts";
import { at, CliProcess, removeTempDirs, tempDir, writeLogs } from "./helpers.ts";

const { Database } = pkg;

afterAll(removeTempDirs);

function sqliteRows(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readOnly: true });
  try {
    return db.all(sql) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

interface ProgressLine { event: string; name: string; batchId: number; numInputRows: number; totalRowsWritten: number }

function progressLines(stdout: string): ProgressLine[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as ProgressLine);
}

/** Runs until the progress lines (JSON) show `rows` input rows in all, then stops it with SIGTERM. */
async function runUntil(job: string, rows: number): Promise<{ code: number | null; lines: ProgressLine[]; stderr: string }> {
  const p = new CliProcess(["run", job, "--log-format", "json"]);
  const start = Date.now();
  while (progressLines(p.stdout).filter((l) => l.event === "queryProgress").reduce((n, l) => n + l.numInputRows, 0) < rows) {
    if (p.child.exitCode !== null || Date.now() - start > 60_000) throw new Error(`no progress:\n${p.stdout}\n${p.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  p.kill("SIGTERM");
  const r = await p.done;
  return { code: r.code, lines: progressLines(r.stdout), stderr: r.stderr };
}

describe("rivulet run", () => {
  test("a file source into SQLite: stopped with SIGTERM, restarted from the checkpoint, the right final table", async () => {
    const dir = await tempDir("run");
    const logs = join(dir, "logs");
    const db = join(dir, "counts.db");
    await writeLogs(logs, "a.json", [{ time: at(10, 1), action: "click" }, { time: at(10, 2), action: "view" }, { time: at(10, 3), action: "click" }]);
    const job = join(dir, "job.sql");
    await writeFile(job, `
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${logs}');
      CREATE TABLE action_counts USING jdbc OPTIONS (
        url 'jdbc:sqlite:${db}', dbtable 'action_counts', outputMode 'update',
        trigger '200 milliseconds', checkpointLocation '${join(dir, "checkpoint")}');
      INSERT INTO action_counts SELECT action, count(*) AS n FROM STREAM(logs) GROUP BY action;
    `);

    const first = await runUntil(job, 3);
    expect(first.stderr).toMatch(/SIGTERM received; stopping 1 query/);
    expect(first.code).toBe(0);
    expect(first.lines[0]).toMatchObject({ event: "queryStarted", name: "action_counts" });
    expect(first.lines.at(-1)).toMatchObject({ event: "queryTerminated", name: "action_counts", exception: null });
    const progress = first.lines.find((l) => l.event === "queryProgress" && l.numInputRows > 0)!;
    expect(progress).toMatchObject({ name: "action_counts", batchId: 0, numInputRows: 3, rowsWritten: 2 });
    expect(sqliteRows(db, "SELECT action, n FROM action_counts ORDER BY action")).toEqual([{ action: "click", n: 2 }, { action: "view", n: 1 }]);

    // More input while it is down; the restart reads only the new file.
    await writeLogs(logs, "b.json", [{ time: at(11, 1), action: "click" }, { time: at(11, 2), action: "login" }]);
    const second = await runUntil(job, 2);
    expect(second.code).toBe(0);
    const batches = second.lines.filter((l) => l.event === "queryProgress" && l.numInputRows > 0);
    expect(batches.map((l) => l.numInputRows)).toEqual([2]);
    expect(batches[0]!.batchId).toBeGreaterThan(progress.batchId);
    expect(sqliteRows(db, "SELECT action, n FROM action_counts ORDER BY action")).toEqual([
      { action: "click", n: 3 }, { action: "login", n: 1 }, { action: "view", n: 1 },
    ]);
  }, 180_000);

  test("--ui serves the web UI on 127.0.0.1 while the job runs: the query by its sink table's name, no secret", async () => {
    const dir = await tempDir("run-ui");
    await writeLogs(join(dir, "logs"), "a.json", [{ time: at(10, 1), action: "click" }, { time: at(10, 2), action: "view" }]);
    const job = join(dir, "job.sql");
    await writeFile(job, `
      SET etl.password = 's3cr3t';
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${join(dir, "logs")}');
      CREATE TABLE hourly USING jdbc OPTIONS (url 'jdbc:sqlite:${join(dir, "out.db")}', dbtable 'hourly', outputMode 'update', checkpointLocation '${join(dir, "ckpt")}');
      INSERT INTO hourly SELECT window(time, '1 hour') AS window, count(*) AS n FROM STREAM(logs) GROUP BY window(time, '1 hour');
    `);
    const p = new CliProcess(["run", job, "--ui", "0"]);
    await p.waitFor(/web UI at http:\/\/127\.0\.0\.1:\d+/, 60_000, "stderr");
    const url = /web UI at (\S+)/.exec(p.stderr)![1]!;
    await p.waitFor(/hourly \| batch 0 \|/, 60_000);
    const families = parsePrometheusText(await (await fetch(url + "/metrics")).text());
    expect(families.get("rivulet_query_input_rows_total")!.samples.find((s) => s.labels.query === "hourly")!.value).toBe(2);
    const queries = await (await fetch(url + "/api/queries")).json() as { appName: string; queries: { name: string; runId: string }[] };
    expect(queries.appName).toBe("job");
    const detail = await (await fetch(`${url}/api/queries/${queries.queries[0]!.runId}`)).text();
    expect(detail).toContain('"name":"hourly"');
    const conf = await (await fetch(url + "/api/config")).json() as Record<string, string>;
    expect(conf["etl.password"]).toBe("***");
    p.kill("SIGINT");
    expect((await p.done).code).toBe(0);
  }, 120_000);

  test("a query that fails: exit 1, the error without its password and without a stack trace", async () => {
    const dir = await tempDir("run-fail");
    await writeLogs(join(dir, "logs"), "a.json", [{ time: at(10, 1), action: "click" }]);
    const job = join(dir, "job.sql");
    await writeFile(job, `
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${join(dir, "logs")}');
      CREATE TABLE out USING jdbc OPTIONS (url 'jdbc:postgresql://etl:s3cr3t@127.0.0.1:9/db', dbtable 'out', retryMaxDuration 0, checkpointLocation '${join(dir, "ckpt")}');
      INSERT INTO out SELECT action FROM STREAM(logs);
    `);
    const r = await new CliProcess(["run", job]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rivulet: error: query out failed/);
    expect(r.stderr + r.stdout).not.toContain("s3cr3t");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  test("a bad SQL file: exit 3 with the position", async () => {
    const dir = await tempDir("run-bad");
    const job = join(dir, "job.sql");
    await writeFile(job, "CREATE TABLE logs USING json OPTIONS (path '/tmp');\nINSERT INTO out SELEC action FROM STREAM(logs);\n");
    const r = await new CliProcess(["run", job]).done;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/PARSE_SYNTAX_ERROR.*line 2/);
  }, 60_000);
});

describe("rivulet demo", () => {
  test("runs live for a few seconds; SIGINT stops it cleanly with exit 0", async () => {
    const p = new CliProcess(["demo", "--interval", "0.5", "--backlog", "2"]);
    await p.waitFor(/batch 1 \|/, 60_000);
    p.kill("SIGINT");
    const r = await p.done;
    expect(r.stderr).toMatch(/SIGINT received/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^demo \| batch 0|^[^|]*action_counts \| batch 0 \|/m);
    expect(r.stdout).toContain("the newest counts in action_counts");
    expect(r.stdout).toMatch(/\|window_start\s*\|window_end\s*\|action\s*\|n\s*\|/);
  }, 120_000);
});
