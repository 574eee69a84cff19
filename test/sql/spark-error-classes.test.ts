import { describe, expect, test } from "vitest";
import { Session, col, date_format, lit } from "../../src/index.ts";

/** Spark's error classes and words for type mismatches and week-based patterns, with the SQL position where there is one. */
const spark = Session.builder().getOrCreate();

const messageOf = async (run: () => unknown): Promise<string> => {
  try {
    await run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
};

describe("Spark's error classes", () => {
  test("[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] and BINARY_OP_WRONG_TYPE, at the operator's line and position", async () => {
    expect(await messageOf(() => spark.sql("SELECT id,\n  array(1) + 1 FROM range(1)"))).toBe(
      '[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "(array(1) + 1)" due to data type mismatch: the left and right operands of the binary operator have incompatible types ("ARRAY<INT>" and "INT").; line 2 pos 2',
    );
    expect(await messageOf(() => spark.sql("SELECT true * true"))).toBe(
      '[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "(true * true)" due to data type mismatch: the binary operator requires the input type ("NUMERIC" or "INTERVAL DAY TO SECOND" or "INTERVAL YEAR TO MONTH" or "INTERVAL"), not "BOOLEAN".; line 1 pos 7',
    );
    // DataFrame form: the same class, without a SQL position.
    expect(await messageOf(() => spark.range(1).select(lit(true).plus(lit(1))))).toMatch(/^\[DATATYPE_MISMATCH\.BINARY_OP_DIFF_TYPES\] .*\("BOOLEAN" and "INT"\)\.$/);
  });

  test("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] in SQL (with its position) and DataFrame form", async () => {
    expect(await messageOf(() => spark.sql("SELECT CAST(array(1) AS INT)"))).toBe(
      '[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve "CAST(array(1) AS INT)" due to data type mismatch: cannot cast "ARRAY<INT>" to "INT".; line 1 pos 7',
    );
    expect(await messageOf(() => spark.sql("SELECT CAST(DATE '2026-01-01' AS BINARY)").collect())).toContain('cannot cast "DATE" to "BINARY".');
    const err = await messageOf(() => spark.range(1).select(col("id").cast("date")));
    expect(err).toBe('[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve "CAST(id AS DATE)" due to data type mismatch: cannot cast "BIGINT" to "DATE".');
  });

  test("[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_WEEK_BASED_PATTERN] (Spark 3.5/4's class) for Y, w, u, e, c", async () => {
    const expected = /^\[INCONSISTENT_BEHAVIOR_CROSS_VERSION\.DATETIME_WEEK_BASED_PATTERN\] You may get a different result due to the upgrading to Spark >= 3\.0: All week-based patterns are unsupported since Spark 3\.0, detected week-based character: Y\. Please use the SQL function EXTRACT instead\./;
    expect(await messageOf(() => spark.sql("SELECT date_format(TIMESTAMP '2026-01-01 00:00:00', 'YYYY-MM')").collect())).toMatch(expected);
    expect(await messageOf(() => spark.sql("SELECT to_date('2026', 'YYYY')").collect())).toMatch(expected);
    expect(await messageOf(() => spark.range(1).select(date_format(lit("2026-01-01"), "YYYY")).collect())).toMatch(expected);
    expect(await messageOf(() => spark.sql("SELECT date_format(TIMESTAMP '2026-01-01 00:00:00', 'ww')").collect())).toContain("detected week-based character: w.");
  });
});
