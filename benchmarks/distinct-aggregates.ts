/**
 * DISTINCT aggregates over two value sets with a plain one, at many groups:
 *
 *   SELECT k, count(DISTINCT a), count(DISTINCT b), sum(c) FROM t GROUP BY k
 *
 * with rewrite_distinct_aggregates (Expand + two aggregates, as Spark plans it) and without it
 * (spark.sql.optimizer.excludedRules: a set of distinct values per group and aggregate). The rows
 * are made once and held in memory (localCheckpoint), so the rounds time the aggregation; the
 * result is folded into one checksum row (sums of the counts and of the sums), the same in both.
 * Rounds interleave the modes, alternating which goes first. Prints rows/s and CPU seconds per run.
 *
 *   node .bench-build/benchmarks/distinct-aggregates.js                 # 2M rows, 100k groups, 5 rounds
 *   BENCH_ROWS=200000 BENCH_GROUPS=10000 node .bench-build/benchmarks/distinct-aggregates.js
 *   BENCH_MODES=on node …   # only the default rules (e.g. a build without the rule)
 */
import { Session } from "../src/index.ts";
import { median } from "./bench-stats.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 2_000_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 100_000);
const A_VALUES = Number(process.env.BENCH_A ?? 8);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const MODES = (process.env.BENCH_MODES ?? "off,on").split(",").map((m) => m.trim()) as ("on" | "off")[];
const RULE = "rewrite_distinct_aggregates";

const spark = Session.builder().appName("bench-distinct-aggregates").getOrCreate();
// Per group: 20 rows (at the defaults), up to BENCH_A (8) distinct a (BIGINT), up to 13 distinct b (STRING), c DOUBLE.
const input = await spark.sql(`SELECT id % ${GROUPS} AS k, floor(id / ${GROUPS}) % ${A_VALUES} AS a,
  concat('u', (floor(id / ${GROUPS}) * 7 + id) % 13) AS b, id * 0.37D AS c FROM range(${ROWS})`).localCheckpoint();
input.createOrReplaceTempView("t");
const QUERY = `SELECT sum(na) AS na, sum(nb) AS nb, sum(s) AS s, count(*) AS groups FROM (
  SELECT k, count(DISTINCT a) AS na, count(DISTINCT b) AS nb, sum(c) AS s FROM t GROUP BY k)`;

async function run(mode: "on" | "off"): Promise<{ answer: string; seconds: number; cpu: number }> {
  if (mode === "off") spark.conf.set("spark.sql.optimizer.excludedRules", RULE);
  else spark.conf.unset("spark.sql.optimizer.excludedRules");
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rows = await spark.sql(QUERY).collect();
  const c = process.cpuUsage(c0);
  return { answer: JSON.stringify(rows[0]), seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

for (const mode of MODES) await run(mode); // warm-up
const runs = new Map(MODES.map((m) => [m, [] as { answer: string; seconds: number; cpu: number }[]]));
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? MODES : [...MODES].reverse();
  for (const mode of order) {
    const result = await run(mode);
    runs.get(mode)!.push(result);
    console.log(`round ${r + 1} ${mode}: ${result.seconds.toFixed(3)} s, cpu ${result.cpu.toFixed(3)} s, ${result.answer}`);
  }
}
for (const [mode, rs] of runs) {
  const s = median(rs.map((x) => x.seconds));
  console.log(`RESULT rule ${mode}: median ${s.toFixed(3)} s (${Math.round(ROWS / s).toLocaleString("en")} rows/s), cpu median ${median(rs.map((x) => x.cpu)).toFixed(3)} s, answers ${new Set(rs.map((x) => x.answer)).size === 1 ? "stable" : "DIFFER"}`);
}
const answers = new Set([...runs.values()].flatMap((rs) => rs.map((x) => x.answer)));
if (answers.size !== 1) console.log(`ANSWERS DIFFER: ${[...answers].join(" | ")}`);
