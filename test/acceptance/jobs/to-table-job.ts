/**
 * A job streaming JSON-file input into a catalog table with `toTable`, as a user's program
 * does, in its own process: each run is a new process with a new catalog. Usage:
 *   node --import tsx to-table-job.ts <input dir> <checkpoint dir> <warehouse dir> <table> <result file>
 * Writes what `SELECT k FROM <table>` answers after the run to <result file>, as JSON.
 */
import { writeFileSync } from "node:fs";
import { Session } from "../../../src/index.ts";

const [input, checkpoint, warehouse, table, result] = process.argv.slice(2) as [string, string, string, string, string];
const spark = Session.builder().config("spark.sql.warehouse.dir", warehouse).getOrCreate();
const query = spark.readStream.schema("k STRING").json(input)
  .writeStream.option("checkpointLocation", checkpoint).trigger({ availableNow: true })
  .toTable(table);
await query.awaitTermination();
const rows = await spark.sql(`SELECT k FROM ${table} ORDER BY k`).collect();
writeFileSync(result, JSON.stringify(rows.map((r) => r.k)));
