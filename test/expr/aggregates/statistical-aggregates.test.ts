import { serialize, deserialize } from "node:v8";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { rowsToBatch, toExternal } from "../../../src/columnar/values.ts";
import { valueAt, type Vec } from "../../../src/columnar/vector.ts";
import { requireAggregate, type GroupsAccumulator } from "../../../src/expr/aggregates/index.ts";
import { compileExpression } from "../../../src/expr/compile.ts";
import { AggregateCall, type Expression } from "../../../src/expr/expression.ts";
import { resolveExpression } from "../../../src/expr/resolve.ts";
import { scopeOf } from "../../../src/expr/scope.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import {
  Session, bool_and, col, collect_list, collect_set, corr, count_if, kurtosis, max_by, median, percentile, percentile_approx, regr_slope,
  skewness, stddev, var_pop, type Row,
} from "../../../src/index.ts";
import { CTX, col as ref, lit } from "../eval-helpers.ts";
import { tempDirs } from "../../temp-dirs.ts";

/**
 * The aggregates of the SQL surface: partial states merge to the whole's answer, states
 * survive the state store's serialisation (node:v8), and the aggregates run in streaming
 * aggregations across a restart from the checkpoint, in SQL and in the DataFrame API.
 */
const spark = Session.builder().appName("statistical-aggregates").getOrCreate();
const tempDir = tempDirs(spark);

const DDL = "x DOUBLE, y DOUBLE, s STRING, b BOOLEAN";
const ROWS = [
  { x: 1, y: 2, s: "a", b: true }, { x: 2, y: 4, s: "b", b: false }, { x: 4, y: 5, s: "a", b: true },
  { x: null, y: 1, s: null, b: null }, { x: 3, y: 1, s: "c", b: true }, { x: 10, y: 7, s: "a", b: true },
];

function accumulator(name: string, args: Expression[]): { acc: GroupsAccumulator; call: AggregateCall } {
  const call = resolveExpression(AggregateCall.create(name, args, false), scopeOf(parseSchema(DDL)), { allowAggregates: true }) as AggregateCall;
  const acc = requireAggregate(name).createAccumulator(call);
  acc.resize(4);
  return { acc, call };
}

function feed(acc: GroupsAccumulator, call: AggregateCall, rows: readonly object[], slot: number): void {
  const batch = rowsToBatch(parseSchema(DDL), rows, "test");
  const args: Vec[] = call.args.map((a) => compileExpression(a)(batch, CTX));
  acc.update(args, new Int32Array(rows.length).fill(slot), rows.length);
}

const resultOf = (acc: GroupsAccumulator, call: AggregateCall, slot: number): unknown =>
  toExternal(valueAt(acc.evaluate(Int32Array.of(slot), 1), 0), call.dataType!);

const CASES: [string, Expression[]][] = [
  ["stddev_samp", [ref("x")]], ["var_pop", [ref("x")]], ["skewness", [ref("x")]], ["kurtosis", [ref("x")]],
  ["corr", [ref("x"), ref("y")]], ["covar_samp", [ref("x"), ref("y")]], ["regr_slope", [ref("y"), ref("x")]], ["regr_intercept", [ref("y"), ref("x")]],
  ["regr_count", [ref("y"), ref("x")]], ["bool_and", [ref("b")]], ["bool_or", [ref("b")]], ["count_if", [ref("b")]],
  ["collect_list", [ref("s")]], ["collect_set", [ref("s")]], ["mode", [ref("s")]], ["max_by", [ref("s"), ref("x")]], ["min_by", [ref("s"), ref("y")]],
  ["percentile", [ref("x"), lit(0.3)]], ["median", [ref("x")]], ["percentile_approx", [ref("x"), lit(0.5)]], ["histogram_numeric", [ref("x"), lit(3)]],
];

describe("partial states", () => {
  test.each(CASES)("%s: halves merged through v8 serialisation equal the whole", (name, args) => {
    const whole = accumulator(name, args);
    feed(whole.acc, whole.call, ROWS, 0);
    const a = accumulator(name, args), b = accumulator(name, args);
    feed(a.acc, a.call, ROWS.slice(0, 3), 0);
    feed(b.acc, b.call, ROWS.slice(3), 0);
    const restored = accumulator(name, args);
    restored.acc.setState(1, deserialize(serialize(a.acc.getState(0))));
    restored.acc.mergeState(1, deserialize(serialize(b.acc.getState(0))));
    const expected = resultOf(whole.acc, whole.call, 0);
    const actual = resultOf(restored.acc, restored.call, 1);
    if (typeof expected === "number") expect(actual as number).toBeCloseTo(expected, 9);
    else expect(actual).toEqual(expected);
    // An empty slot: null (count_if/regr_count: 0; the collections: []).
    expect(resultOf(whole.acc, whole.call, 2)).toEqual(name === "count_if" || name === "regr_count" ? 0 : name.startsWith("collect") ? [] : null);
  });

  test("getState hands the store a copy: folding more rows does not change a state already taken", () => {
    const { acc, call } = accumulator("collect_list", [ref("s")]);
    feed(acc, call, ROWS.slice(0, 2), 0);
    const state = acc.getState(0);
    feed(acc, call, ROWS.slice(2, 3), 0);
    expect(state).toEqual(["a", "b"]);
    expect(resultOf(acc, call, 0)).toEqual(["a", "b", "a"]);
  });
});

describe("streaming aggregations", () => {
  const sortRows = (rows: Row[]): Row[] => [...rows].sort((p, q) => String(p.k).localeCompare(String(q.k)));

  async function run(build: (session: Session, input: string) => import("../../../src/index.ts").DataFrame, batches: object[][]): Promise<Row[][]> {
    const input = await tempDir("rivulet-statagg-in-");
    const checkpoint = join(await tempDir("rivulet-statagg-ck-"), "ckpt");
    const answers: Row[][] = [];
    let latest: Row[] = [];
    const start = () => build(spark, input).writeStream.outputMode("complete").option("checkpointLocation", checkpoint)
      .foreachBatch(async (df) => { latest = await df.collect(); }).start();
    let q = start();
    for (const [i, rows] of batches.entries()) {
      await writeFile(join(input, `part-${i}.json`), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
      await q.processAllAvailable();
      answers.push(sortRows(latest));
      // Restart from the checkpoint after the first batch: the states come back from the store.
      if (i === 0) { await q.stop(); q = start(); }
    }
    await q.stop();
    return answers;
  }

  const WITH_KEY = ROWS.map((r, i) => ({ k: i % 2 === 0 ? "even" : "odd", ...r }));

  test("SQL: stddev, corr, regr_slope, collect_list, max_by, percentile, bool_and across a restart", async () => {
    const answers = await run((session, input) => {
      session.readStream.schema(`k STRING, ${DDL}`).json(input).createOrReplaceTempView("stat_events");
      return session.sql(`SELECT k, stddev(x) AS sd, corr(x, y) AS c, regr_slope(y, x) AS slope, collect_list(s) AS l, max_by(s, x) AS top,
        percentile(x, 0.5) AS p50, bool_and(b) AS all_b, count_if(b) AS nb FROM stat_events GROUP BY k`);
    }, [WITH_KEY.slice(0, 3), WITH_KEY.slice(3)]);
    expect(answers[0]!.map((r) => [r.k, r.l, r.top, r.p50, r.all_b, r.nb])).toEqual([["even", ["a", "a"], "a", 2.5, true, 2], ["odd", ["b"], "b", 2, false, 0]]);
    const even = answers[1]!.find((r) => r.k === "even")!;
    // even rows: x = 1, 4, 3 — stddev 1.5275…, median 3.
    expect(even.sd as number).toBeCloseTo(Math.sqrt(7 / 3), 12);
    expect(even.p50).toBe(3);
    expect(even.l).toEqual(["a", "a", "c"]);
    const odd = answers[1]!.find((r) => r.k === "odd")!;
    expect(odd).toMatchObject({ l: ["b", "a"], top: "a", p50: 6, all_b: false, nb: 1 });
    expect(odd.c as number).toBeCloseTo(1, 12);
    expect(odd.slope as number).toBeCloseTo(3 / 8, 12);
  });

  test("DataFrame API: the same aggregates by their functions", async () => {
    const answers = await run((session, input) => session.readStream.schema(`k STRING, ${DDL}`).json(input).groupBy("k").agg(
      stddev("x").as("sd"), var_pop(col("x")).as("vp"), skewness("x").as("sk"), kurtosis("x").as("ku"), corr("x", "y").as("c"),
      regr_slope("y", "x").as("slope"), collect_list("s").as("l"), collect_set("s").as("st"), max_by("s", "x").as("top"),
      percentile("x", [0.25, 0.75]).as("ps"), median("x").as("med"), percentile_approx("x", 0.5).as("pa"), bool_and("b").as("all_b"), count_if("b").as("nb"),
    ), [WITH_KEY.slice(0, 3), WITH_KEY.slice(3)]);
    const even = answers[1]!.find((r) => r.k === "even")!;
    expect(even).toMatchObject({ l: ["a", "a", "c"], st: ["a", "c"], top: "a", ps: [2, 3.5], med: 3, pa: 3, all_b: true, nb: 3 });
    expect(even.vp as number).toBeCloseTo(14 / 9, 12);
    expect(even.sk as number).toBeCloseTo(-0.3818017741606063, 12);
    expect(even.ku as number).toBeCloseTo(-1.5, 12);
  });
});
