import { describe, expect, test } from "vitest";
import { Session, types } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("typed map/flatMap: values as Spark's encoders keep and check them", () => {
  const T = types.struct({ id: types.long(), ts: types.timestamp() });
  const ds = spark.sql("SELECT 1L AS id, TIMESTAMP '2024-01-15 10:00:00.123456' AS ts UNION ALL SELECT 2L, TIMESTAMP '1960-01-15 10:00:00.000001'").as(T);

  test("a timestamp passed through keeps its microseconds (map, flatMap); one the function changes has milliseconds", async () => {
    const text = "CAST(ts AS STRING) AS s";
    expect(await ds.map((r) => r, T).selectExpr(text).collect()).toEqual([{ s: "2024-01-15 10:00:00.123456" }, { s: "1960-01-15 10:00:00.000001" }]);
    expect((await ds.flatMap((r) => [r, { ...r, id: 10 }], T).selectExpr(text).collect()).map((r) => r.s))
      .toEqual(["2024-01-15 10:00:00.123456", "2024-01-15 10:00:00.123456", "1960-01-15 10:00:00.000001", "1960-01-15 10:00:00.000001"]);
    const moved = ds.map((r) => ({ id: r.id, ts: new Date(r.ts.getTime() + 1000) }), T);
    expect((await moved.selectExpr(text).collect())[0]).toEqual({ s: "2024-01-15 10:00:01.123" });
  });

  test("a NOT NULL field the function leaves out fails as Spark's [NOT_NULL_ASSERT_VIOLATION]; a nullable one may be null", async () => {
    const U = types.struct({ id: types.long(), name: types.string() });
    const rows = spark.sql("SELECT * FROM VALUES (1L, 'a') AS t(id, name)").as(U);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await expect(rows.map((r) => ({ id: r.id }) as any, U).collect()).rejects.toThrow("[NOT_NULL_ASSERT_VIOLATION] Null value appeared in non-nullable field: - field (type: \"string\", name: \"name\")");
    const V = types.struct({ id: types.long(), name: types.string().nullable() });
    expect(await rows.map((r) => ({ id: r.id, name: null }), V).collect()).toEqual([{ id: 1, name: null }]);
  });
});
