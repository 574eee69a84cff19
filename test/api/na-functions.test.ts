import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";

const spark = Session.builder().getOrCreate();
const people = spark.createDataFrame([
  { name: "ann", age: 30, height: 1.7, city: "Oslo", member: true },
  { name: "bob", age: null, height: null, city: null, member: null },
  { name: null, age: 5, height: Number.NaN, city: "Rome", member: false },
], "name STRING, age INT, height DOUBLE, city STRING, member BOOLEAN");

describe("df.na / fillna / dropna (Spark's DataFrameNaFunctions)", () => {
  test("fill(number) fills numeric columns (NaN too), cast to each column's type; other kinds stay", async () => {
    expect(await people.na.fill(0.5).collect()).toEqual([
      { name: "ann", age: 30, height: 1.7, city: "Oslo", member: true },
      { name: "bob", age: 0, height: 0.5, city: null, member: null },
      { name: null, age: 5, height: 0.5, city: "Rome", member: false },
    ]);
    expect(people.na.fill(0).columns).toEqual(["name", "age", "height", "city", "member"]);
  });

  test("fill(string, subset) fills only the listed string columns; fill(map) a value per column; fillna is the same", async () => {
    expect((await people.na.fill("?", ["city", "age"]).collect()).map((r) => [r.name, r.city, r.age])).toEqual([["ann", "Oslo", 30], ["bob", "?", null], [null, "Rome", 5]]);
    expect((await people.fillna({ name: "nobody", member: false, age: 99 }).collect()).map((r) => [r.name, r.member, r.age]))
      .toEqual([["ann", true, 30], ["bob", false, 99], ["nobody", false, 5]]);
    expect(() => people.na.fill({ nope: 1 })).toThrow("cannot resolve column `nope`");
  });

  test("drop: any (the default), all, a minimum of non-null values, a subset; dropna's thresh", async () => {
    expect((await people.na.drop().collect()).map((r) => r.name)).toEqual(["ann"]);
    expect((await people.na.drop("all", ["age", "height"]).collect()).map((r) => r.name)).toEqual(["ann", null]);
    expect((await people.na.drop(3).collect()).map((r) => r.name)).toEqual(["ann", null]);
    expect((await people.dropna("any", undefined, ["city"]).collect()).map((r) => r.name)).toEqual(["ann", null]);
    expect((await people.dropna("any", 1).collect()).map((r) => r.name)).toEqual(["ann", "bob", null]);
    expect(() => people.na.drop("some" as "any")).toThrow("how must be 'any' or 'all'");
  });
});

describe("df.na.replace (Spark's DataFrameNaFunctions.replace)", () => {
  test("numeric keys replace in every numeric column of the list (\"*\": all), compared as doubles; NaN is a key too", async () => {
    expect(await people.na.replace("*", new Map<number, number>([[30, 31], [Number.NaN, 0]])).collect()).toEqual([
      { name: "ann", age: 31, height: 1.7, city: "Oslo", member: true },
      { name: "bob", age: null, height: null, city: null, member: null },
      { name: null, age: 5, height: 0, city: "Rome", member: false },
    ]);
    expect((await people.na.replace(["age"], new Map([[5, 6.9]])).collect()).map((r) => r.age)).toEqual([30, null, 6]);
  });

  test("string keys replace in string columns only (a value may be null); boolean keys in boolean columns; others stay", async () => {
    const cities = await people.na.replace(["city", "name", "age"], { Oslo: "OSL", ann: null }).collect();
    expect(cities.map((r) => [r.name, r.city, r.age])).toEqual([[null, "OSL", 30], ["bob", null, null], [null, "Rome", 5]]);
    expect((await people.na.replace("member", new Map([[true, false]])).collect()).map((r) => r.member)).toEqual([false, null, false]);
    expect((await people.na.replace("age", new Map([["30", "1"]])).collect()).map((r) => r.age)).toEqual([30, null, 5]);
    expect(people.na.replace([], { a: "b" }).columns).toEqual(people.columns);
  });

  test("mixed kinds and unknown columns fail at the call", () => {
    expect(() => people.na.replace("age", new Map<number, string>([[1, "b"]]))).toThrow("mixed type replacements are not supported");
    expect(() => people.na.replace("nope", { a: "b" })).toThrow("cannot resolve column `nope`");
  });
});

describe("on a remote session", () => {
  test("na.fill and na.drop are Spark's NAFill and NADrop relations", () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const df = remote.createDataFrame([], "name STRING, age INT");
    const fill = (toConnectPlan(df.na.fill(0, ["age"])) as any).root.fillNa;
    expect(fill.cols).toEqual(["age"]);
    expect(fill.values).toEqual([{ integer: 0 }]);
    expect((toConnectPlan(df.fillna({ name: "?" })) as any).root.fillNa).toMatchObject({ cols: ["name"], values: [{ string: "?" }] });
    const drop = (toConnectPlan(df.na.drop(1, ["name", "age"])) as any).root.dropNa;
    expect(drop).toMatchObject({ cols: ["name", "age"], minNonNulls: 1 });
    expect((toConnectPlan(df.na.drop()) as any).root.dropNa.minNonNulls).toBeUndefined();
  });

  test("na.replace is Spark's NAReplace relation: \"*\" as no columns, each pair old and new literals", () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const df = remote.createDataFrame([], "name STRING, age INT");
    const replace = (toConnectPlan(df.na.replace("*", { a: "b", c: null })) as any).root.replace;
    expect(replace.cols ?? []).toEqual([]);
    expect(replace.replacements).toMatchObject([{ oldValue: { string: "a" }, newValue: { string: "b" } }, { oldValue: { string: "c" } }]);
    expect((toConnectPlan(df.na.replace(["age"], new Map([[1, 2]]))) as any).root.replace.cols).toEqual(["age"]);
  });
});
