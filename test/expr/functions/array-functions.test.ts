import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("array-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("array functions", () => {
  it("append, prepend, insert, remove, compact keep Spark's element types and nulls", async () => {
    expect(await values("SELECT array_append(array(1, 2), 3), array_prepend(array(1, 2), null), array_insert(array(5, 3, 2, 1), -4, 4), array_insert(array(1, 2), 5, 9), array_insert(array(1, 2), -1, 9), array_remove(array(1, 2, 3, null, 3), 3), array_remove(array(1), null), array_compact(array(1, null, 2)), array_append(null, 1)"))
      .toEqual([[1, 2, 3], [null, 1, 2], [5, 4, 3, 2, 1], [1, 2, null, null, 9], [1, 2, 9], [1, 2, null], null, [1, 2], null]);
    expect(spark.sql("SELECT array_append(array(1, 2), 3L)").schema.fields[0]!.dataType).toMatchObject({ kind: "array", elementType: { kind: "long" } });
    await expect(spark.sql("SELECT array_insert(array(1), 0, 2)").collect()).rejects.toThrow(/INVALID_INDEX_OF_ZERO/);
    expect(() => spark.sql("SELECT array_append(array(1), array(2))").columns).toThrow(/ARRAY_FUNCTION_DIFF_TYPES/);
  });

  it("set operations keep first occurrences, treat null and NaN as values", async () => {
    expect(await values("SELECT array_distinct(array(1, 2, 3, null, 3, null)), array_except(array(1, 2, 3, null), array(1, 3, 5)), array_intersect(array(1, 2, 3, null), array(null, 1, 3, 5)), array_union(array(1, 2, 3), array(1, 3, 5)), array_distinct(array(cast('NaN' as double), cast('NaN' as double)))"))
      .toEqual([[1, 2, 3, null], [2, null], [1, 3, null], [1, 2, 3, 5], [NaN]]);
    expect(await values("SELECT arrays_overlap(array(1, 2, 3), array(3, 4, 5)), arrays_overlap(array(1, null), array(3)), arrays_overlap(array(1), array(3)), arrays_overlap(array(), array(null))")).toEqual([true, null, false, false]);
  });

  it("join, max/min, position, repeat, size", async () => {
    expect(await values("SELECT array_join(array('hello', null, 'world'), ' '), array_join(array('a', null), ',', 'x'), array_join(array(1, 2), '-'), array_max(array(1, 20, null, 3)), array_min(array(1, 20, null, 3)), array_max(array(1.0D, cast('NaN' as double)))"))
      .toEqual(["hello world", "a,x", "1-2", 20, 1, NaN]);
    expect(await values("SELECT array_position(array(3, 2, 1), 1), array_position(array(3), 7), array_repeat('123', 2), array_repeat(null, 2), array_repeat(1, -1), array_size(array('b', 'd')), array_size(null)"))
      .toEqual([3, 0, ["123", "123"], [null, null], [], 2, null]);
    expect(spark.sql("SELECT array_position(array(3), 3)").schema.fields[0]!.dataType.kind).toBe("long");
  });

  it("sorts: array_sort puts nulls last, sort_array first ascending and last descending", async () => {
    expect(await values("SELECT array_sort(array('b', 'd', null, 'c', 'a')), sort_array(array('b', 'd', null, 'c', 'a'), true), sort_array(array('b', 'd', null, 'c', 'a'), false)"))
      .toEqual([["a", "b", "c", "d", null], [null, "a", "b", "c", "d"], ["d", "c", "b", "a", null]]);
  });

  it("slice, flatten, shuffle, arrays_zip, sequence", async () => {
    expect(await values("SELECT slice(array(1, 2, 3, 4), 2, 2), slice(array(1, 2, 3, 4), -2, 2), slice(array(1, 2), 5, 1), flatten(array(array(1, 2), array(3, 4))), flatten(array(array(1), null)), array_sort(shuffle(array(3, 1, 2)))"))
      .toEqual([[2, 3], [3, 4], [], [1, 2, 3, 4], null, [1, 2, 3]]);
    await expect(spark.sql("SELECT slice(array(1), 0, 1)").collect()).rejects.toThrow(/INVALID_PARAMETER_VALUE.START/);
    await expect(spark.sql("SELECT slice(array(1), 1, -1)").collect()).rejects.toThrow(/INVALID_PARAMETER_VALUE.LENGTH/);
    expect(await values("SELECT arrays_zip(array(1, 2, 3), array('a', 'b'))")).toEqual([[{ 0: 1, 1: "a" }, { 0: 2, 1: "b" }, { 0: 3, 1: null }]]);
    expect(await values("SELECT sequence(1, 5), sequence(5, 1), sequence(1, 10, 3), sequence(3, 3, 0)")).toEqual([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [1, 4, 7, 10], [3]]);
    expect(await values("SELECT sequence(to_date('2018-01-01'), to_date('2018-03-01'), interval 1 month)")).toEqual([[new Date("2018-01-01"), new Date("2018-02-01"), new Date("2018-03-01")]]);
    // INTERVAL 1 DAY is a day-time interval (µs): a date sequence steps by its whole days.
    expect(await values("SELECT sequence(DATE'2024-02-28', DATE'2024-03-01', INTERVAL 1 DAY)")).toEqual([[new Date("2024-02-28"), new Date("2024-02-29"), new Date("2024-03-01")]]);
    expect(await values("SELECT sequence(DATE'2024-03-05', DATE'2024-03-01', INTERVAL -2 DAYS)")).toEqual([[new Date("2024-03-05"), new Date("2024-03-03"), new Date("2024-03-01")]]);
    expect(await values("SELECT sequence(timestamp'2018-01-01 00:00:00', timestamp'2018-01-01 01:00:00', interval 30 minutes)"))
      .toEqual([[new Date("2018-01-01T00:00:00Z"), new Date("2018-01-01T00:30:00Z"), new Date("2018-01-01T01:00:00Z")]]);
    await expect(spark.sql("SELECT sequence(1, 5, -1)").collect()).rejects.toThrow(/SEQUENCE_BOUNDARIES/);
  });

  it("try_element_at is null where element_at fails", async () => {
    expect(await values("SELECT try_element_at(array(1, 2), 0), try_element_at(array(1, 2), -1), try_element_at(map('a', 1), 'b')")).toEqual([null, 2, null]);
  });

  it("the DataFrame forms, with arrays_zip naming fields after columns", async () => {
    const df = spark.sql("SELECT * FROM VALUES (array(3, 1, null), array('x')) AS t(a, b)");
    const [r] = await df.select(F.array_append("a", 4).alias("ap"), F.sort_array("a", false).alias("s"), F.array_position("a", 1).alias("p"), F.arrays_zip("a", "b").alias("z"),
      F.slice(col("a"), 1, 2).alias("sl"), F.array_join("b", ",").alias("j"), F.sequence(F.lit(1), F.lit(3)).alias("q")).collect();
    expect(r).toEqual({ ap: [3, 1, null, 4], s: [3, 1, null], p: 2, z: [{ a: 3, b: "x" }, { a: 1, b: null }, { a: null, b: null }], sl: [3, 1], j: "x", q: [1, 2, 3] });
  });
});
