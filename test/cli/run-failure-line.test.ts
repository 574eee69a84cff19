import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { at, removeTempDirs, runCli, tempDir, writeLogs } from "./helpers.ts";

afterAll(removeTempDirs);

test("rivulet run: a query that fails to start is named by its sink table, the counts before the error", async () => {
  const dir = await tempDir("run-failure");
  const logs = join(dir, "logs");
  await writeLogs(logs, "a.json", [{ time: at(10, 1), action: "click" }]);
  const job = join(dir, "job.sql");
  await writeFile(job, `
    CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${logs}');
    CREATE TABLE dst USING jdbc OPTIONS (url 'jdbc:mysql://127.0.0.1:3306/test?user=root&password=wrong', dbtable 'x', checkpointLocation '${join(dir, "ck")}');
    INSERT INTO dst SELECT action FROM STREAM(logs);`);
  const text = await runCli(["run", job, "--trigger", "availableNow"]);
  expect(text.code).toBe(1);
  const line = text.stdout.split("\n").find((l) => l.includes("failed"))!;
  expect(line).toMatch(/ query dst failed after 0 batches, 0 rows written: Query dst \[id = .*\] failed to start: .*access denied/);
  expect(line).toContain("password=***");
  expect(line).not.toMatch(/rows written$/);

  const json = await runCli(["run", job, "--trigger", "availableNow", "--log-format", "json"]);
  const terminated = json.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { event: string; name: string }).find((e) => e.event === "queryTerminated");
  expect(terminated?.name).toBe("dst");
}, 120_000);
