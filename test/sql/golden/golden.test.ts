import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { ConfKeys } from "../../../src/common/config.ts";
import { zoneRules } from "../../../src/common/time-zone.ts";
import { executeBatch } from "../../../src/execution/batch-execution.ts";
import { renderGolden, statementsOf, type GoldenResult } from "./golden-file.ts";
import { goldenRows } from "./golden-values.ts";

/**
 * Golden SQL tests: each `<area>.sql` here runs, statement by statement, in a fresh session
 * (session time zone UTC unless the file SETs another), and what it prints must equal
 * `<area>.sql.out`. `RIVULET_GOLDEN_REGENERATE=1 npx vitest run test/sql/golden` rewrites the
 * expected files instead; read the diff before committing it: the expected file is the spec.
 *
 * Rows of a query without an ORDER BY are sorted before comparing (as Spark's suite does), so
 * the answer does not depend on the order a hash aggregate or join emits them in.
 */
const here = dirname(fileURLToPath(import.meta.url));
const regenerate = process.env.RIVULET_GOLDEN_REGENERATE === "1";
const files = readdirSync(here).filter((f) => f.endsWith(".sql")).sort();
const base = Session.builder().appName("golden-sql").getOrCreate();

async function runStatement(spark: Session, query: string): Promise<GoldenResult> {
  try {
    const { last } = await spark.sqlScript(query);
    if (last === undefined) return { kind: "rows", query, schema: "struct<>", rows: [] };
    const batch = await executeBatch(spark.optimizePlan(last.plan), spark.conf);
    const zone = zoneRules(spark.conf.get(ConfKeys.sessionTimeZone) ?? "UTC");
    const rows = goldenRows(batch, zone);
    if (!/\border\s+by\b/i.test(query)) rows.sort();
    return { kind: "rows", query, schema: last.schema.simpleString(), rows };
  } catch (error) {
    return { kind: "error", query, message: error instanceof Error ? error.message : String(error) };
  }
}

describe("golden SQL files", () => {
  test("the directory holds golden files, each with its expected output", () => {
    expect(files.length).toBeGreaterThan(0);
    if (!regenerate) for (const f of files) expect(existsSync(join(here, `${f}.out`)), `${f}.out is missing: regenerate it`).toBe(true);
  });

  for (const file of files) {
    test(file, async () => {
      const spark = base.newSession();
      spark.conf.set(ConfKeys.sessionTimeZone, "UTC");
      const results: GoldenResult[] = [];
      for (const query of statementsOf(readFileSync(join(here, file), "utf8"))) results.push(await runStatement(spark, query));
      const actual = renderGolden(results);
      const expectedPath = join(here, `${file}.out`);
      if (regenerate) writeFileSync(expectedPath, actual);
      else expect(actual).toBe(readFileSync(expectedPath, "utf8"));
    });
  }
});
