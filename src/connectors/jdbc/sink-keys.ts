import { AnalysisError } from "../../common/errors.ts";
import type { OutputMode, ResultKey } from "../sink.ts";

/**
 * How a batch's rows reach the table: `insert` (append mode), `upsert` by the key columns
 * (update mode), `replace` (complete mode, and update mode of a global aggregation that
 * has no key: the table is made equal to the batch).
 */
export type WriteMode = "insert" | "upsert" | "replace";

export interface SinkKeys {
  readonly writeMode: WriteMode;
  /** Result columns that make the table's primary key (indices into the result schema). */
  readonly keyColumns: readonly number[];
}

const NO_KEY: ResultKey = { operator: null, columns: [], missing: [] };

/**
 * The write mode and the primary key of the sink's table for a query's result key.
 * Update mode upserts an aggregation's rows by its grouping keys, so every key must reach
 * the result as a column: a missing one would make rows of different groups overwrite
 * each other, and the query is refused. Complete mode replaces the table each batch and
 * needs no key for correctness: a whole key becomes the primary key, a partial one none
 * (a partial primary key would reject the result's own rows).
 */
export function sinkKeys(outputMode: OutputMode, resultKey: ResultKey | undefined, table: string): SinkKeys {
  const key = resultKey ?? NO_KEY;
  const whole = key.missing.length === 0;
  switch (outputMode) {
    case "append":
      return { writeMode: "insert", keyColumns: [] };
    case "complete":
      return { writeMode: "replace", keyColumns: whole ? key.columns : [] };
    case "update":
      switch (key.operator) {
        case null:
          return { writeMode: "insert", keyColumns: [] };
        case "deduplication":
          // dropDuplicates emits each key's row once, never again: inserting is exact, and needs no key (nulls and long texts included).
          return { writeMode: "insert", keyColumns: [] };
        case "aggregation":
          if (!whole) throw missingGroupingKeys(table, key.missing);
          return key.columns.length > 0 ? { writeMode: "upsert", keyColumns: key.columns } : { writeMode: "replace", keyColumns: [] };
        case "groupsWithState":
          // reduceGroups writes its key into a column; other functions' rows carry it only as the function chose.
          if (whole && key.columns.length > 0) return { writeMode: "upsert", keyColumns: key.columns };
          throw new AnalysisError(
            `JDBC sink (table ${table}) in update mode upserts result rows by their key, but the rows of ${key.missing.join(", ")} ` +
            `come from a function, so no result column is known to be the key and updated rows would pile up as new ones. ` +
            `Write in append mode (every row inserted), or upsert by a key you choose in foreachBatch.`,
          );
      }
  }
}

function missingGroupingKeys(table: string, missing: readonly string[]): AnalysisError {
  const keys = missing.map((k) => `\`${k}\``).join(", ");
  const plural = missing.length > 1;
  return new AnalysisError(
    `JDBC sink (table ${table}) in update mode upserts each result row by the grouping keys of the streaming aggregation, ` +
    `but no result column is exactly the grouping key${plural ? "s" : ""} ${keys}: ` +
    `${plural ? "they were" : "it was"} left out of the select list, computed over (e.g. upper(action)), taken apart (e.g. w.start), or passed through a join or union. ` +
    `Rows of different groups would overwrite each other. ` +
    `Select ${keys} as ${plural ? "they are" : "it is"}, under any name (an alias such as \`AS w\` is fine), or write in complete mode.`,
  );
}
