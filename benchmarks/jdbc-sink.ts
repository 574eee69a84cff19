/**
 * Rows per second the JDBC sink writes to MySQL/MariaDB in update mode (upserts of
 * hourly counts, exactly-once bookkeeping included), beside a hand-written mysql2 loop
 * that upserts the same rows in the same multi-row statements and transactions, in the
 * same run. Prints both and the ratio (target: the sink within 1.5× of the loop).
 *
 *   npx tsx benchmarks/jdbc-sink.ts
 *   BENCH_BATCHES=50 BENCH_ROWS=20000 JDBC_URL='jdbc:mysql://127.0.0.1:3306/test?user=root' npx tsx benchmarks/jdbc-sink.ts
 */
import { createPool } from "mysql2/promise";
import { toArrowTable } from "../src/columnar/arrow-convert.ts";
import { rowsToBatch } from "../src/columnar/values.ts";
import { RuntimeConfig } from "../src/common/config.ts";
import { jdbcSinkFactory } from "../src/connectors/jdbc/jdbc-sink.ts";
import { parseJdbcUrl } from "../src/connectors/jdbc/jdbc-url.ts";
import { formatTimestampMicros } from "../src/connectors/jdbc/sink-columns.ts";
import { parseSchema } from "../src/types/ddl.ts";

const URL = process.env.JDBC_URL ?? "jdbc:mysql://127.0.0.1:3306/test?user=root";
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const CHUNK = 1000;
const ACTIONS = ["click", "view", "buy", "search", "scroll", "share", "like", "comment", "login", "logout"];
/** One hour in milliseconds (rowsToBatch reads numbers as epoch milliseconds). */
const HOUR = 3_600_000;
const schema = parseSchema("window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, action STRING, n BIGINT");

interface CountRow { start: number; action: string; n: number }

/** Batch b: ROWS keys (hour × action), counts growing with b, as an update-mode batch carries them. */
function batchRows(b: number): CountRow[] {
  return Array.from({ length: ROWS }, (_, i) => ({ start: Math.floor(i / ACTIONS.length) * HOUR, action: ACTIONS[i % ACTIONS.length]!, n: (b + 1) * (i % 7 + 1) }));
}

async function main(): Promise<void> {
  const target = parseJdbcUrl(URL);
  const pool = createPool({ host: target.host, port: target.port, user: target.user ?? undefined, password: target.password ?? undefined, database: target.database, connectionLimit: 1 });
  const sinkTable = `bench_sink_${process.pid}`;
  const loopTable = `bench_loop_${process.pid}`;
  const batches = Array.from({ length: BATCHES }, (_, b) => batchRows(b));
  const tables = batches.map((rows) => toArrowTable(schema, [rowsToBatch(schema, rows.map((r) => ({ window: { start: r.start, end: r.start + HOUR }, action: r.action, n: r.n })), "bench")]));

  try {
    // The hand-written loop: one transaction per batch, multi-row upserts of CHUNK rows.
    await pool.query(`CREATE TABLE ${loopTable} (window_start DATETIME(6) NOT NULL, window_end DATETIME(6) NOT NULL, action VARCHAR(255) NOT NULL, n BIGINT, PRIMARY KEY (window_start, window_end, action))`);
    const loopStart = performance.now();
    for (const rows of batches) {
      const conn = await pool.getConnection();
      await conn.beginTransaction();
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        const values = chunk.map((r) => [formatTimestampMicros(r.start * 1000), formatTimestampMicros((r.start + HOUR) * 1000), r.action, r.n]);
        await conn.query(`INSERT INTO ${loopTable} (window_start, window_end, action, n) VALUES ? ON DUPLICATE KEY UPDATE n = VALUES(n)`, [values]);
      }
      await conn.commit();
      conn.release();
    }
    const loopSeconds = (performance.now() - loopStart) / 1000;

    const sink = await jdbcSinkFactory({
      schema, outputMode: "update", options: { url: URL, dbtable: sinkTable, batchsize: String(CHUNK) }, queryName: null, metadataPath: null,
      conf: new RuntimeConfig(), isAggregation: true, queryId: `bench-${process.pid}`, resultKey: { operator: "aggregation", columns: [0, 1], missing: [] },
    });
    const sinkStart = performance.now();
    for (let b = 0; b < tables.length; b++) await sink.addBatch(b, tables[b]!, "update");
    const sinkSeconds = (performance.now() - sinkStart) / 1000;
    await sink.stop();

    const [[a], [c]] = await Promise.all([
      pool.query(`SELECT COUNT(*) k, SUM(n) s FROM ${sinkTable}`).then(([r]) => r as { k: number; s: string }[]),
      pool.query(`SELECT COUNT(*) k, SUM(n) s FROM ${loopTable}`).then(([r]) => r as { k: number; s: string }[]),
    ]);
    if (a!.k !== c!.k || String(a!.s) !== String(c!.s)) throw new Error(`tables differ: sink ${JSON.stringify(a)} vs loop ${JSON.stringify(c)}`);
    const total = BATCHES * ROWS;
    const sinkRate = total / sinkSeconds;
    const loopRate = total / loopSeconds;
    console.log(`rows: ${total} in ${BATCHES} batches of ${ROWS} (upserts into ${ROWS} keys), ${target.redacted}`);
    console.log(`jdbc sink (update):       ${Math.round(sinkRate).toLocaleString("en-US")} rows/s (${sinkSeconds.toFixed(2)} s)`);
    console.log(`hand-written mysql2 loop: ${Math.round(loopRate).toLocaleString("en-US")} rows/s (${loopSeconds.toFixed(2)} s)`);
    console.log(`ratio loop/sink: ${(loopRate / sinkRate).toFixed(2)}× (target ≤ 1.5×)`);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${sinkTable}`);
    await pool.query(`DROP TABLE IF EXISTS ${loopTable}`);
    await pool.query(`DELETE FROM _rivulet_commits WHERE query_id = ?`, [`bench-${process.pid}`]).catch(() => {});
    await pool.end();
  }
}

await main();
