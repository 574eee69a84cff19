import { describe, expect, test } from "vitest";
import { dialectFor } from "../../../src/connectors/jdbc/dialects.ts";
import { backoffDelay } from "../../../src/connectors/retry.ts";
import { formatTimestampMicros, sinkColumns } from "../../../src/connectors/jdbc/sink-columns.ts";
import { sinkKeys } from "../../../src/connectors/jdbc/sink-keys.ts";
import { dataTypeOfSql, sqlTypeClass } from "../../../src/connectors/jdbc/sql-types.ts";
import { checkTable } from "../../../src/connectors/jdbc/table-setup.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { typeName } from "../../../src/types/data-types.ts";

const COUNTS = parseSchema("window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, action STRING, n BIGINT");

describe("table shape", () => {
  test("a window struct becomes window_start / window_end; grouping keys are the key", () => {
    const cols = sinkColumns(COUNTS, [0, 1]);
    expect(cols.map((c) => [c.name, typeName(c.type), c.isKey, c.nullable])).toEqual([
      ["window_start", "timestamp", true, true],
      ["window_end", "timestamp", true, true],
      ["action", "string", true, true],
      ["n", "bigint", false, true],
    ]);
    // A key keeps its nullability (NULL is one group in Spark); the table the sink creates makes its keys NOT NULL, as a primary key.
    expect(sinkColumns(parseSchema("k STRING NOT NULL, n BIGINT"), [0]).map((c) => c.nullable)).toEqual([false, true]);
    expect(sinkColumns(COUNTS, []).every((c) => !c.isKey)).toBe(true);
  });

  test("write mode and primary key per output mode and result key", () => {
    const aggregation = (columns: number[], missing: string[] = []) => ({ operator: "aggregation" as const, columns, missing });
    expect(sinkKeys("update", aggregation([0, 1]), "t")).toEqual({ writeMode: "upsert", keyColumns: [0, 1] });
    expect(sinkKeys("update", aggregation([]), "t")).toEqual({ writeMode: "replace", keyColumns: [] });
    expect(() => sinkKeys("update", aggregation([0], ["action"]), "t")).toThrow(/no result column is exactly the grouping key `action`: /);
    expect(sinkKeys("complete", aggregation([0, 1]), "t")).toEqual({ writeMode: "replace", keyColumns: [0, 1] });
    // A partial primary key would reject the complete result's own rows.
    expect(sinkKeys("complete", aggregation([0], ["action"]), "t")).toEqual({ writeMode: "replace", keyColumns: [] });
    expect(sinkKeys("append", aggregation([0, 1]), "t")).toEqual({ writeMode: "insert", keyColumns: [] });
    const deduplication = (columns: number[], missing: string[] = []) => ({ operator: "deduplication" as const, columns, missing });
    expect(sinkKeys("update", deduplication([2]), "t")).toEqual({ writeMode: "insert", keyColumns: [] });
    expect(sinkKeys("update", deduplication([], ["id"]), "t")).toEqual({ writeMode: "insert", keyColumns: [] });
    expect(sinkKeys("update", { operator: null, columns: [], missing: [] }, "t")).toEqual({ writeMode: "insert", keyColumns: [] });
    expect(sinkKeys("update", { operator: "groupsWithState", columns: [1], missing: [] }, "t")).toEqual({ writeMode: "upsert", keyColumns: [1] });
    expect(() => sinkKeys("update", { operator: "groupsWithState", columns: [], missing: ["the key of groupByKey(...).mapGroupsWithState"] }, "t"))
      .toThrow(/come from a function, so no result column is known to be the key/);
  });

  test("column types per dialect", () => {
    const types = (name: "mysql" | "postgresql" | "sqlite") => sinkColumns(COUNTS, [0, 1]).map((c) => dialectFor(name).columnType(c.type, c.isKey));
    expect(types("mysql")).toEqual(["DATETIME(6)", "DATETIME(6)", "VARCHAR(255)", "BIGINT"]);
    expect(types("postgresql")).toEqual(["TIMESTAMP(6)", "TIMESTAMP(6)", "TEXT", "BIGINT"]);
    expect(types("sqlite")).toEqual(["TIMESTAMP", "TIMESTAMP", "TEXT", "INTEGER"]);
    expect(dialectFor("mysql").columnType(parseSchema("s STRING").fields[0]!.dataType, false)).toBe("TEXT");
  });

  test("database types read back as rivulet types", () => {
    const read = (t: string, d: "mysql" | "postgresql" | "sqlite" = "mysql") => typeName(dataTypeOfSql(t, d));
    expect(["int(11)", "bigint(20)", "tinyint(1)", "decimal(10,2)", "varchar(20)", "datetime(6)", "date", "longblob", "double"].map((t) => read(t)))
      .toEqual(["int", "bigint", "boolean", "decimal(10,2)", "string", "timestamp", "date", "binary", "double"]);
    expect(["integer", "bigint", "boolean", "double precision", "text", "timestamp without time zone", "bytea", "numeric"].map((t) => read(t, "postgresql")))
      .toEqual(["int", "bigint", "boolean", "double", "string", "timestamp", "binary", "decimal(38,18)"]);
    // Spark's JDBC reader: DECIMAL(p,s) keeps p and s; wider than 38 digits is DecimalType.bounded: (38, min(s, 38)).
    expect(["numeric(38,10)", "numeric(50,2)"].map((t) => read(t, "postgresql"))).toEqual(["decimal(38,10)", "decimal(38,2)"]);
    expect(["decimal(65,30)", "decimal(65,0)"].map((t) => read(t))).toEqual(["decimal(38,30)", "decimal(38,0)"]);
    expect(read("integer", "sqlite")).toBe("bigint");
    expect(sqlTypeClass("int unsigned", "mysql")).toBe("integer");
  });

  test("an existing table that does not fit is refused, naming the columns", () => {
    const cols = sinkColumns(COUNTS, [0, 1]);
    const mysql = dialectFor("mysql");
    const fits = [
      { name: "window_start", dbType: "datetime(6)", nullable: false, keyPosition: 1 },
      { name: "window_end", dbType: "datetime(6)", nullable: false, keyPosition: 2 },
      { name: "action", dbType: "varchar(64)", nullable: false, keyPosition: 3 },
      { name: "n", dbType: "bigint(20)", nullable: true, keyPosition: 0 },
    ];
    expect(() => checkTable("t", fits, cols, mysql)).not.toThrow();
    const bad = [
      { name: "window_start", dbType: "datetime(6)", nullable: false, keyPosition: 1 },
      { name: "action", dbType: "int(11)", nullable: false, keyPosition: 2 },
      { name: "n", dbType: "bigint(20)", nullable: true, keyPosition: 0 },
    ];
    expect(() => checkTable("t", bad, cols, mysql)).toThrow(/table t does not fit the query's result: missing column window_end \(timestamp\); column action is int\(11\) but the query writes string/);
    const noKey = fits.map((c) => ({ ...c, keyPosition: 0 }));
    expect(() => checkTable("t", noKey, cols, mysql)).toThrow(/its primary key is missing but rows are identified by \(window_start, window_end, action\)/);
  });

  test("timestamps are written as UTC text with microseconds; backoff is bounded", () => {
    expect(formatTimestampMicros(Date.UTC(2026, 0, 1, 10, 0, 0, 123) * 1000 + 456)).toBe("2026-01-01 10:00:00.123456");
    const policy = { maxDurationMs: 60_000, backoffMs: 200, maxBackoffMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0))).toEqual([200, 400, 800, 1000, 1000]);
    expect(backoffDelay(policy, 0, () => 1)).toBe(240);
  });
});
