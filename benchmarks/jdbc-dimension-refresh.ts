/**
 * What re-reading a small JDBC dimension table every micro-batch costs (Spark re-executes an
 * uncached static side per batch, and so does rivulet for a JDBC table): a stream of
 * BENCH_ROWS events per batch joined with a BENCH_DIM-row table in MariaDB and PostgreSQL,
 * beside the same join with the rows as an in-memory DataFrame (read once per run), runs
 * interleaved. Prints the median milliseconds per micro-batch of each and the difference.
 *
 *   npx tsx benchmarks/jdbc-dimension-refresh.ts
 *   BENCH_BATCHES=40 BENCH_ROWS=1000 BENCH_DIM=100 BENCH_RUNS=5 npx tsx benchmarks/jdbc-dimension-refresh.ts
 */
import { createConnection } from "mysql2/promise";
import pg from "pg";
import { MemoryStream, Session, type DataFrame } from "../src/index.ts";
import { median } from "./bench-stats.ts";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 30);
const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
const DIM = Number(process.env.BENCH_DIM ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MYSQL_URL = "jdbc:mysql://127.0.0.1:3306/test?user=root";
const PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

const spark = Session.builder().getOrCreate();
const dimRows = Array.from({ length: DIM }, (_, i) => ({ uid: i, name: `user${i}` }));

/** Milliseconds per micro-batch (median over the batches after the first) of a stream joined with `dims`. */
async function perBatchMs(dims: DataFrame, name: string): Promise<number> {
  const events = new MemoryStream<{ uid: number }>(spark, "uid INT");
  const q = events.toDF().join(dims, "uid").writeStream.format("memory").queryName(name).start();
  const times: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const rows = Array.from({ length: ROWS }, (_, i) => ({ uid: (i * 7 + b) % (DIM * 2) }));
    const start = performance.now();
    events.addData(rows);
    await q.processAllAvailable();
    if (b > 0) times.push(performance.now() - start);
  }
  await q.stop();
  const joined = await spark.table(name).count();
  if (joined !== BATCHES * ROWS / 2) throw new Error(`${name}: ${joined} rows joined, expected ${BATCHES * ROWS / 2}`);
  return median(times);
}

async function main(): Promise<void> {
  const table = `bench_dim_${process.pid}`;
  const my = await createConnection({ host: "127.0.0.1", user: "root", database: "test" });
  const pgc = new pg.Client({ host: "127.0.0.1", user: "postgres", database: "test" });
  await pgc.connect();
  try {
    await my.query(`CREATE TABLE ${table} (uid INT PRIMARY KEY, name VARCHAR(20))`);
    await my.query(`INSERT INTO ${table} VALUES ?`, [dimRows.map((r) => [r.uid, r.name])]);
    await pgc.query(`CREATE TABLE ${table} (uid INT PRIMARY KEY, name TEXT)`);
    await pgc.query(`INSERT INTO ${table} SELECT g, 'user' || g FROM generate_series(0, ${DIM - 1}) g`);
    const memory = spark.createDataFrame(dimRows, "uid INT, name STRING");
    const results: Record<string, number[]> = { memory: [], mariadb: [], postgresql: [] };
    for (let run = 0; run < RUNS; run++) {
      results.memory!.push(await perBatchMs(memory, `bench_mem_${run}`));
      results.mariadb!.push(await perBatchMs(spark.read.jdbc(MYSQL_URL, table), `bench_my_${run}`));
      results.postgresql!.push(await perBatchMs(spark.read.jdbc(PG_URL, table), `bench_pg_${run}`));
    }
    const mem = median(results.memory!);
    console.log(`${BATCHES} batches × ${ROWS} events joined with ${DIM} dimension rows, ${RUNS} interleaved runs (median ms per micro-batch):`);
    console.log(`  in-memory dimension (read once):     ${mem.toFixed(2)} ms`);
    for (const db of ["mariadb", "postgresql"]) {
      const ms = median(results[db]!);
      console.log(`  ${db.padEnd(10)} dimension (re-read): ${ms.toFixed(2)} ms  (+${(ms - mem).toFixed(2)} ms per batch)  runs ${results[db]!.map((x) => x.toFixed(1)).join(", ")}`);
    }
  } finally {
    await my.query(`DROP TABLE IF EXISTS ${table}`);
    await pgc.query(`DROP TABLE IF EXISTS ${table}`);
    await my.end();
    await pgc.end();
  }
}

await main();
process.exit(0);
