import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { batchToRows } from "../../src/columnar/values.ts";
import { executeBatch } from "../../src/execution/batch-execution.ts";
import { DEFAULT_RULES, optimize } from "../../src/optimizer/optimizer.ts";
import { someNode, type LogicalPlan, type Scan } from "../../src/plan/logical-plan.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { Session, col, type Column, type DataFrame } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * A selective filter over JSON files: the optimizer pushes its conjuncts into the JSON
 * reader, which drops failing lines before building rows. The rows must be the same as
 * without the pushdown, and the reader must really have dropped the others.
 */
const spark = Session.builder().appName("filter-pushdown").getOrCreate();
const DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes LONG";
const ACTIONS = ["view", "view", "view", "click", "click", "search", "buy"];
const FILES = 3;
const ROWS_PER_FILE = 200;
const WITHOUT_PUSHDOWN = DEFAULT_RULES.filter((r) => r.name !== "push_filter_into_scan");

const tempDir = tempDirs();
let dir = "";
let counter = 0;

beforeAll(async () => {
  dir = await tempDir("rivulet-filter-pushdown-");
  let s = 7;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const base = Date.parse("2026-01-01T00:00:00Z");
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let i = 0; i < ROWS_PER_FILE; i++) {
      const action = ACTIONS[Math.floor(next() * ACTIONS.length)]!;
      const row: Record<string, unknown> = {
        time: new Date(base + Math.floor(next() * 6 * 3600) * 1000).toISOString(),
        action, url: `/${action}/${Math.floor(next() * 5)}`, userId: next() < 0.1 ? null : `u${Math.floor(next() * 20)}`,
      };
      if (next() > 0.1) row.bytes = Math.floor(next() * 5000); // some lines have no bytes at all
      lines.push(JSON.stringify(row));
    }
    if (f === 1) lines.push(`{"time":"2026-01-01T01:00:00Z","action":"buy","bytes":"many"}`); // malformed: kept as nulls (PERMISSIVE)
    await writeFile(join(dir, `logs-${f}.json`), lines.join("\n") + "\n");
  }
});

const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

function scanOf(plan: LogicalPlan): Scan {
  let found: Scan | null = null;
  someNode(plan, (p) => (p.kind === "Scan" ? ((found = p), true) : false));
  if (found === null) throw new Error("no scan");
  return found;
}

async function run(df: DataFrame, pushdown: boolean): Promise<{ rows: unknown[]; plan: LogicalPlan }> {
  const plan = optimize(df.plan, pushdown ? DEFAULT_RULES : WITHOUT_PUSHDOWN).plan;
  return { rows: batchToRows(await executeBatch(plan, spark.conf)), plan };
}

/** Rows the JSON source itself returns for the optimized scan's read request. */
async function sourceRows(scan: Scan, withFilters: boolean): Promise<number> {
  const source = scan.source.createSource({ metadataPath: null, conf: spark.conf, bounded: true });
  const end = await source.latestOffset(null);
  const columns = scan.columns.map((i) => scan.source.schema.fields[i]!.name);
  const batches = await source.getBatch(null, end!, withFilters ? { columns, filters: scan.pushedFilters } : { columns });
  await source.stop();
  return batches.reduce((n, b) => n + b.numRows, 0);
}

const filters: { name: string; condition: Column; pushed: string }[] = [
  { name: "equality on a string", condition: col("action").equalTo("buy"), pushed: "EqualTo(action,buy)" },
  {
    name: "a range of timestamps and bytes",
    condition: col("time").geq("2026-01-01T04:30:00").and(col("bytes").lt(1000)),
    pushed: "GreaterThanOrEqual(time,2026-01-01 04:30:00), LessThan(bytes,1000)",
  },
  {
    name: "IN, LIKE 'prefix%' and IS NULL",
    condition: col("action").isin("buy", "search").and(col("url").like("/buy/%").or(col("url").startsWith("/search/1"))).and(col("userId").isNull()),
    pushed: "In(action, [buy,search]), IsNull(userId)",
  },
  { name: "IS NULL on a column missing from some lines (and the malformed line)", condition: col("bytes").isNull(), pushed: "IsNull(bytes)" },
];

describe("filters pushed into the JSON reader", () => {
  test.each(filters)("$name: same rows with and without pushdown, and the reader drops the rest", async ({ condition, pushed }) => {
    const df = spark.read.schema(DDL).json(dir).filter(condition).select("time", "action", "url", "userId");
    const withPushdown = await run(df, true);
    const without = await run(df, false);
    expect(planString(withPushdown.plan)).toContain(`PushedFilters: [${pushed}]`);
    expect(planString(without.plan)).not.toContain("PushedFilters");
    expect(withPushdown.rows.length).toBeGreaterThan(0);
    expect(canon(withPushdown.rows)).toEqual(canon(without.rows));

    const scan = scanOf(withPushdown.plan);
    const all = FILES * ROWS_PER_FILE + 1;
    expect(await sourceRows(scan, false)).toBe(all);
    const read = await sourceRows(scan, true);
    expect(read).toBeLessThan(all / 2);
    expect(read).toBeGreaterThanOrEqual(withPushdown.rows.length);
  });

  test("a streaming query gets the same rows, and counts only the rows the reader returned as input", async () => {
    const condition = col("action").equalTo("buy").and(col("bytes").gt(2500));
    const expected = (await spark.read.schema(DDL).json(dir).filter(condition).collect()) as unknown[];
    const name = `filter_pushdown_${process.pid}_${counter++}`;
    const q = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 1).json(dir).filter(condition)
      .writeStream.format("memory").queryName(name).outputMode("append").trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(q.exception).toBeNull();
    expect(canon(await spark.table(name).collect())).toEqual(canon(expected));
    const input = q.recentProgress.reduce((n, p) => n + p.numInputRows, 0);
    expect(input).toBe(expected.length);
  });
});
