import { rowsToBatch } from "../../src/columnar/values.ts";
import { requireAggregate, type GroupsAccumulator } from "../../src/expr/aggregates/index.ts";
import { compileExpression } from "../../src/expr/compile.ts";
import { AggregateCall, Star } from "../../src/expr/expression.ts";
import { resolveExpression } from "../../src/expr/resolve.ts";
import { scopeOf } from "../../src/expr/scope.ts";
import { GroupTable } from "../../src/physical/group-table/group-table.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { CTX, col } from "../expr/eval-helpers.ts";

/** Map sides of a per-url aggregation on the real group table and accumulators, for the tests of partitioned partial groups. */

export const SCHEMA = parseSchema("url STRING, hour BIGINT, bytes BIGINT, ms DOUBLE");
export type Row = { url: string | null; hour: number; bytes: number; ms: number };

export const calls = [
  AggregateCall.create("count", [Star.create()], false),
  AggregateCall.create("sum", [col("bytes")], false),
  AggregateCall.create("sum", [col("ms")], false),
  AggregateCall.create("max", [col("url")], false),
].map((c) => resolveExpression(c, scopeOf(SCHEMA), { allowAggregates: true }) as AggregateCall);

export const newAccumulators = (): GroupsAccumulator[] => calls.map((c) => requireAggregate(c.name).createAccumulator(c));

/** A group table with its accumulators, growing together (as AggregateExec keeps them). */
export function newGroups(): { table: GroupTable; accumulators: GroupsAccumulator[] } {
  const accumulators = newAccumulators();
  let room = 0;
  const table = new GroupTable([SCHEMA.fields[0]!.dataType, SCHEMA.fields[1]!.dataType], (n) => {
    if (n <= room) return;
    room = Math.max(n, room * 2, 16);
    for (const a of accumulators) a.resize(room);
  });
  return { table, accumulators };
}

/** One file's map side: its rows folded into a fresh table (its own string codes), row by row. */
export function mapSide(rows: readonly Row[]) {
  const groups = newGroups();
  const slots = Int32Array.from(rows, (r) => groups.table.findOrInsertValues([r.url, r.hour]).slot);
  const batch = rowsToBatch(SCHEMA, rows, "test");
  calls.forEach((c, k) => {
    const args = c.args.filter((a) => a.kind !== "Star").map((a) => compileExpression(a)(batch, CTX));
    groups.accumulators[k]!.update(args, slots, rows.length);
  });
  return groups;
}

/** `files` files of rows over `urls` urls and a few hours, each file listing its urls in its own order (so its own codes). */
export function files(count: number, rowsPerFile: number, urls: number): Row[][] {
  return Array.from({ length: count }, (_, f) => Array.from({ length: rowsPerFile }, (_, i) => {
    const u = (i * 7919 + f * 104729) % urls;
    return { url: u === 3 ? null : `/page/${u}`, hour: (f + (i % 3)) % 5, bytes: (i * 37 + f) % 1000, ms: ((i * 31 + f * 7) % 997) / 7 };
  }));
}

/** The grouping keys, resolved. */
export const groupings = [col("url"), col("hour")].map((e) => resolveExpression(e, scopeOf(SCHEMA)));
