import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { privateMariaDb } from "../connectors/jdbc/private-server.ts";
import { at, CliProcess, removeTempDirs, tempDir, writeLogs } from "./helpers.ts";

afterAll(removeTempDirs);

test("rivulet run: the job waits out a MariaDB outage, shows it, and ends with the right table", async () => {
  const server = await privateMariaDb();
  try {
    const dir = await tempDir("run-outage");
    const logs = join(dir, "logs");
    await writeLogs(logs, "a.json", [{ time: at(10, 1), action: "click" }, { time: at(10, 2), action: "view" }]);
    const job = join(dir, "job.sql");
    await writeFile(job, `
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${logs}');
      CREATE TABLE action_counts USING jdbc OPTIONS (
        url '${server.url}', dbtable 'action_counts', outputMode 'update', retryMaxBackoffMs 1000,
        trigger '200 milliseconds', checkpointLocation '${join(dir, "checkpoint")}');
      INSERT INTO action_counts SELECT action, count(*) AS n FROM STREAM(logs) GROUP BY action;
    `);
    const p = new CliProcess(["run", job, "--log-format", "json"]);
    await p.waitFor(/"event":"queryProgress".*"numInputRows":2/);

    await server.stop();
    await writeLogs(logs, "b.json", [{ time: at(10, 3), action: "click" }]);
    await p.waitFor(/"event":"queryWaiting".*"message":"Waiting for the sink: writing batch \d+ failed: .*\(retry 2, next in/);
    await p.waitFor(/WARN JdbcSink: .* writing batch \d+ failed: .*; retry 2 in \d+ ms \(retryMaxDuration 10 minutes\)/, 10_000, "stderr");
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(p.child.exitCode).toBeNull();
    await server.start();
    await p.waitFor(/"event":"queryWaiting".*"message":null/, 20_000);
    await writeLogs(logs, "c.json", [{ time: at(10, 4), action: "buy" }]);
    await p.waitFor(/"event":"queryProgress".*"numInputRows":1.*"totalRowsWritten":4/, 20_000);
    expect(await server.query("SELECT action, n FROM action_counts ORDER BY action")).toEqual([
      { action: "buy", n: 1 }, { action: "click", n: 2 }, { action: "view", n: 1 },
    ]);

    // Down again, and SIGTERM while the sink waits: a clean stop at once, not a failure.
    await server.stop();
    const waits = (p.stdout.match(/"event":"queryWaiting"/g) ?? []).length;
    await writeLogs(logs, "d.json", [{ time: at(10, 5), action: "buy" }]);
    await p.waitFor(new RegExp(`("event":"queryWaiting"[^\n]*\n[^]*){${waits + 1}}`));
    const signalled = Date.now();
    p.kill("SIGTERM");
    const r = await p.done;
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/"event":"queryTerminated".*"exception":null/);
  } finally {
    await server.destroy();
  }
}, 90_000);
