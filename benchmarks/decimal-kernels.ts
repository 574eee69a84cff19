/**
 * `SELECT k, sum(d), avg(d) FROM t GROUP BY k` over 2M rows of a DECIMAL(10,2) column at
 * 1,000 keys, rivulet and DuckDB alternating in one process (medians of `RUNS` runs each);
 * both tables are built before timing and the answers are compared.
 *
 *   npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/decimal-kernels.js [rows] [runs]
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { Decimal, Session } from "../src/index.ts";
import { executeBatch } from "../src/execution/batch-execution.ts";
import { DecimalSumAccumulator } from "../src/expr/aggregates/decimal-sum.ts";
import { decimalAvgType, decimalSumType } from "../src/expr/decimal-precision.ts";
import { DecimalType } from "../src/types/data-types.ts";
import { median } from "./bench-stats.ts";

const rows = Number(process.argv[2] ?? 2_000_000);
const runs = Number(process.argv[3] ?? 5);
const unscaledAt = (i: number): bigint => BigInt((i * 7919) % 100_000_000);

const spark = Session.builder().appName("decimal-kernels").getOrCreate();
const data = Array.from({ length: rows }, (_, i) => ({ k: i % 1000, d: new Decimal(unscaledAt(i), 2) }));
spark.createDataFrame(data, "k INT, d DECIMAL(10,2)").createOrReplaceTempView("t");
data.length = 0;
const query = "SELECT k, sum(d) AS s, avg(d) AS a FROM t GROUP BY k";

const instance = await DuckDBInstance.create(":memory:");
const duck = await instance.connect();
await duck.run("SET threads = 1");
await duck.run(`CREATE TABLE t AS SELECT (i % 1000)::INTEGER AS k, (((i * 7919) % 100000000)::BIGINT / 100)::DECIMAL(10,2) AS d FROM range(${rows}) r(i)`);

async function rivulet(): Promise<string> {
  const batch = await executeBatch(spark.optimizePlan(spark.sql(query).plan), spark.conf);
  let total = 0n;
  const s = batch.columns[1]!;
  for (let i = 0; i < batch.numRows; i++) total += (s as { values: readonly bigint[] }).values[i]!;
  return String(total);
}

async function duckdb(): Promise<string> {
  const result = await duck.runAndReadAll(`SELECT sum(s)::VARCHAR AS total FROM (${query})`);
  return String(result.getRowObjectsJS()[0]!.total).replace(".", "");
}

const time = async (f: () => Promise<string>): Promise<[number, string]> => {
  const start = performance.now();
  const answer = await f();
  return [performance.now() - start, answer];
};

await rivulet(); await duckdb(); // warm-up
const times: { rivulet: number[]; duckdb: number[] } = { rivulet: [], duckdb: [] };
for (let r = 0; r < runs; r++) {
  const [tr, ar] = await time(rivulet);
  const [td, ad] = await time(duckdb);
  if (ar !== ad) throw new Error(`answers differ: rivulet ${ar}, duckdb ${ad}`);
  times.rivulet.push(tr); times.duckdb.push(td);
}

// The sum/avg kernel alone, the same unscaled values through both of its paths, alternating:
// DECIMAL(10,2) takes the double-pending path, DECIMAL(16,2) the per-row bigint additions.
const values = Array.from({ length: rows }, (_, i) => unscaledAt(i));
const slots = Int32Array.from({ length: rows }, (_, i) => i % 1000);
const column = { kind: "obj", type: DecimalType(10, 2), length: rows, values, valid: null } as const;
function kernel(precision: number): number {
  const input = DecimalType(precision, 2);
  const acc = new DecimalSumAccumulator(input, decimalAvgType(input), decimalSumType(input), true);
  acc.resize(1000);
  const start = performance.now();
  acc.update([column], slots, rows);
  acc.evaluate(Int32Array.from({ length: 1000 }, (_, i) => i), 1000);
  return performance.now() - start;
}
const kernelTimes: { fast: number[]; bigint: number[] } = { fast: [], bigint: [] };
for (let r = 0; r < runs + 1; r++) {
  const f = kernel(10), b = kernel(16);
  if (r > 0) { kernelTimes.fast.push(f); kernelTimes.bigint.push(b); }
}
console.log(`sum+avg kernel over ${rows} rows, 1000 groups: bigint per row median ${median(kernelTimes.bigint).toFixed(0)} ms, double-pending (p <= 15) median ${median(kernelTimes.fast).toFixed(0)} ms`);
console.log(`rows=${rows} runs=${runs} rivulet median ${median(times.rivulet).toFixed(0)} ms, duckdb (1 thread) median ${median(times.duckdb).toFixed(0)} ms, ratio ${(median(times.rivulet) / median(times.duckdb)).toFixed(1)}x`);
duck.closeSync();
instance.closeSync();
process.exit(0);
