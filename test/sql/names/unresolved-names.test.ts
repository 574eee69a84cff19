import { describe, expect, test } from "vitest";
import { AnalysisError, Session, col, functions as F } from "../../../src/index.ts";

/** Spark's UNRESOLVED_COLUMN and UNRESOLVED_ROUTINE: error class, SQLSTATE, parameters, and where the name was written. */
const spark = Session.builder().appName("unresolved-names").getOrCreate();
const events = spark.createDataFrame([{ k: "a", action: "open", v: 1 }], "k STRING, action STRING, v INT");
events.createOrReplaceTempView("un_events");
spark.createDataFrame([{ k: "a", name: "x" }], "k STRING, name STRING").createOrReplaceTempView("un_names");

function thrown(f: () => unknown): AnalysisError {
  try {
    f();
  } catch (e) {
    if (e instanceof AnalysisError) return e;
    throw e;
  }
  throw new Error("expected an AnalysisError");
}

describe("UNRESOLVED_COLUMN", () => {
  test("SQL: the closest columns first, SQLSTATE, and the line and position of the name", () => {
    const e = thrown(() => spark.sql("SELECT acton FROM un_events"));
    expect(e.message).toBe("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `acton` cannot be resolved. Did you mean one of the following? [`action`, `k`, `v`]. SQLSTATE: 42703; line 1 pos 7");
    expect(e.errorClass).toBe("UNRESOLVED_COLUMN.WITH_SUGGESTION");
    expect(e.sqlState).toBe("42703");
    expect(e.messageParameters).toEqual({ objectName: "`acton`", proposal: "`action`, `k`, `v`" });
  });

  test("SQL: a name on a later line, inside an expression, in WHERE", () => {
    expect(() => spark.sql("SELECT k,\n       upper(actoin) AS u\nFROM un_events")).toThrow(/`actoin` cannot be resolved\..*; line 2 pos 13$/);
    expect(() => spark.sql("SELECT k FROM un_events WHERE vv > 1")).toThrow(/\[`v`, `k`, `action`\]\. SQLSTATE: 42703; line 1 pos 30$/);
  });

  test("columns of several tables keep their qualifiers; a qualified name is quoted part by part", () => {
    const e = thrown(() => spark.sql("SELECT un_events.nme FROM un_events JOIN un_names USING (k)"));
    // Ordered by the distance of the whole qualified name, as Spark orders them.
    expect(e.message).toContain("with name `un_events`.`nme` cannot be resolved. Did you mean one of the following? [`un_events`.`k`, `un_events`.`v`, `un_events`.`action`, `un_names`.`name`].");
    expect(e.message).toMatch(/; line 1 pos 7$/);
  });

  test("WITHOUT_SUGGESTION when no column is visible", () => {
    const e = thrown(() => spark.sql("SELECT nope"));
    expect(e.message).toBe("[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved. SQLSTATE: 42703; line 1 pos 7");
    expect(e.errorClass).toBe("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION");
    expect(e.messageParameters).toEqual({ objectName: "`nope`" });
  });

  test("DataFrame: the same class and parameters, without a position; expr() strings have one", () => {
    const e = thrown(() => events.select(col("acton")));
    expect(e.message).toBe("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `acton` cannot be resolved. Did you mean one of the following? [`action`, `k`, `v`]. SQLSTATE: 42703");
    expect(e.errorClass).toBe("UNRESOLVED_COLUMN.WITH_SUGGESTION");
    expect(() => events.select(F.expr("v + vv"))).toThrow(/`vv` cannot be resolved.*; line 1 pos 4$/);
    expect(() => events.filter("acton = 'open'")).toThrow(/UNRESOLVED_COLUMN.WITH_SUGGESTION.*; line 1 pos 0$/);
  });

  test("other analysis errors carry the class their message leads with", () => {
    expect(thrown(() => spark.sql("SELECT * FROM no_such_table")).errorClass).toBe("TABLE_OR_VIEW_NOT_FOUND");
    expect(new AnalysisError("no class here").errorClass).toBeNull();
  });
});

describe("UNRESOLVED_ROUTINE", () => {
  test("a misspelt function: Spark's words, the closest function, the position (also for count(*))", () => {
    const e = thrown(() => spark.sql("SELECT k, coutn(*) FROM un_events GROUP BY k"));
    expect(e.message).toBe("[UNRESOLVED_ROUTINE] Cannot resolve routine `coutn` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]. Did you mean `count`? SQLSTATE: 42883; line 1 pos 10");
    expect(e.errorClass).toBe("UNRESOLVED_ROUTINE");
    expect(e.sqlState).toBe("42883");
    expect(e.messageParameters).toEqual({ routineName: "`coutn`", searchPath: "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]" });
    expect(() => spark.sql("SELECT uper(action) FROM un_events")).toThrow(/Did you mean `upper`\? SQLSTATE: 42883; line 1 pos 7$/);
    expect(() => spark.sql("SELECT zzzzzz(action) FROM un_events")).toThrow(/on search path \[.*\]\. SQLSTATE: 42883; line 1 pos 7$/);
  });

  test("DataFrame: expr() and call_function name the routine the same way", () => {
    expect(() => events.select(F.expr("coutn(v)"))).toThrow(/^\[UNRESOLVED_ROUTINE\] Cannot resolve routine `coutn`.*Did you mean `count`\? SQLSTATE: 42883; line 1 pos 0$/);
    const e = thrown(() => events.select(F.call_function("uper", "action")));
    expect(e.errorClass).toBe("UNRESOLVED_ROUTINE");
    expect(e.message).toContain("Did you mean `upper`?");
  });
});
