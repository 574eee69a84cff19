import { describe, expect, test } from "vitest";
import { Session, col, lit } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("Column.withField and Column.dropFields (Spark 3.1)", () => {
  const df = spark.sql("SELECT named_struct('a', 1, 'b', 2) AS st, 5 AS x UNION ALL SELECT CAST(NULL AS STRUCT<a: INT, b: INT>), 6");

  test("withField replaces a field (case-insensitively) or adds one last; a null struct stays null", async () => {
    const added = df.select(col("st").withField("z", col("x").plus(lit(1))).as("st"));
    expect(added.dtypes).toEqual([["st", "struct<a:int,b:int,z:int>"]]);
    expect(await added.collect()).toEqual([{ st: { a: 1, b: 2, z: 6 } }, { st: null }]);
    const replaced = await df.select(col("st").withField("A", lit("x")).as("st")).collect();
    expect(replaced[0]).toEqual({ st: { A: "x", b: 2 } });
  });

  test("dropFields drops the named fields; dropping all fails as Spark's", async () => {
    expect(await df.select(col("st").dropFields("a").as("st")).collect()).toEqual([{ st: { b: 2 } }, { st: null }]);
    // Refused when the plan is analysed, as Spark's.
    expect(() => df.select(col("st").dropFields("a", "b"))).toThrow("[DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS] Cannot drop all fields in struct.");
    expect(() => df.select(col("x").withField("a", lit(1)))).toThrow('requires the "STRUCT" type');
  });

  describe("nested paths (`a.b.c`), as Spark's UpdateFields", () => {
    const nested = spark.sql(`SELECT named_struct('a', named_struct('b', named_struct('c', 1, 'd', 2), 'e', 'x'), 'f', 3) AS s
      UNION ALL SELECT named_struct('a', CAST(NULL AS STRUCT<b: STRUCT<c: INT, d: INT>, e: STRING>), 'f', 4)`);

    test("withField sets or adds a field of a nested struct and rebuilds the structs around it; a null struct on the way stays null", async () => {
      const replaced = nested.select(col("s").withField("a.b.c", lit(10)).as("s"));
      expect(replaced.dtypes).toEqual([["s", "struct<a:struct<b:struct<c:int,d:int>,e:string>,f:int>"]]);
      expect(await replaced.collect()).toEqual([{ s: { a: { b: { c: 10, d: 2 }, e: "x" }, f: 3 } }, { s: { a: null, f: 4 } }]);
      const added = await nested.select(col("s").withField("a.b.z", col("s.f").plus(lit(1))).withField("A.new", lit("n")).as("s")).collect();
      expect(added[0]).toEqual({ s: { A: { b: { c: 1, d: 2, z: 4 }, e: "x", new: "n" }, f: 3 } });
    });

    test("dropFields drops nested fields, one path after another; a name in backquotes may hold a dot", async () => {
      expect(await nested.select(col("s").dropFields("a.b.c", "f").as("s")).collect()).toEqual([
        { s: { a: { b: { d: 2 }, e: "x" } } }, { s: { a: null } },
      ]);
      const dotted = spark.sql("SELECT named_struct('x.y', 1, 'z', named_struct('p.q', 2, 'r', 3)) AS s");
      expect(await dotted.select(col("s").dropFields("`x.y`", "z.`p.q`").as("s")).collect()).toEqual([{ s: { z: { r: 3 } } }]);
      expect(await dotted.select(col("s").withField("z.`p.q`", lit(9)).as("s")).collect()).toEqual([{ s: { "x.y": 1, z: { "p.q": 9, r: 3 } } }]);
      expect(() => nested.select(col("s").dropFields("a.b.c", "a.b.d"))).toThrow("[DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS] Cannot drop all fields in struct.");
    });

    test("a path through a missing field or a non-struct fails at analysis", () => {
      expect(() => nested.select(col("s").withField("a.nope.c", lit(1)))).toThrow("[FIELD_NOT_FOUND] No such struct field `nope` in `b`, `e`.");
      expect(() => nested.select(col("s").withField("f.g", lit(1)))).toThrow(/requires the "STRUCT" type, however it has the type "INT"/);
    });
  });
});
