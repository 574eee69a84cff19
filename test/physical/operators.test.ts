import { describe, expect, it } from "vitest";
import type { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { batchToRows, rowsToBatch, type Row } from "../../src/columnar/values.ts";
import { RuntimeConfig } from "../../src/common/config.ts";
import type { OutputMode } from "../../src/connectors/sink.ts";
import { AggregateCall, Alias, Call, ColumnRef, Literal, SortOrder, Star, WindowTime, type Expression } from "../../src/expr/expression.ts";
import { forEachOperator, isStateful, type BatchContext, type StatefulOperator } from "../../src/physical/exec-operator.ts";
import { planPhysical, type PhysicalQuery } from "../../src/physical/planner.ts";
import type { JoinType, LogicalPlan } from "../../src/plan/logical-plan.ts";
import {
  aggregate, deduplicate, join, limit, localRelation, sort, subqueryAlias, withWatermark,
} from "../../src/plan/plan-builder.ts";
import { MemoryStateStoreProvider } from "../../src/state/memory-state-store-provider.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { StructType } from "../../src/types/data-types.ts";
import { UTC } from "../../src/common/time-zone.ts";

const S = 1_000_000;
const col = (name: string, qualifier: string | null = null): Expression => ColumnRef.create(name, qualifier);
const lit = (v: unknown): Expression => Literal.create(v, null);
const call = (name: string, ...args: Expression[]): Expression => Call.create(name, args);
const count = (): Expression => Alias.create(AggregateCall.create("count", [Star.create()]), "count");
const at = (seconds: number): Date => new Date(seconds * 1000);

/** A streaming input whose rows are set before each micro-batch. */
function streamInput(ddl: string): { plan: LogicalPlan; next(rows: readonly Row[]): void } {
  const schema = parseSchema(ddl);
  let current: ColumnBatch[] = [];
  return {
    plan: localRelation("events", schema, () => current, true),
    next(rows) { current = rows.length === 0 ? [] : [rowsToBatch(schema, rows, "test")]; },
  };
}

/** Runs a physical plan micro-batch by micro-batch, with an in-memory state store per stateful operator. */
class StreamRunner {
  readonly query: PhysicalQuery;
  readonly providers = new Map<number, MemoryStateStoreProvider>();
  #batchId = 0;

  constructor(plan: LogicalPlan, readonly outputMode: OutputMode) {
    this.query = planPhysical(plan, new RuntimeConfig(), outputMode);
  }

  async open(): Promise<this> {
    const ops: StatefulOperator[] = [];
    forEachOperator(this.query.root, (op) => { if (isStateful(op)) ops.push(op); });
    for (const op of ops) {
      const provider = new MemoryStateStoreProvider();
      this.providers.set(op.operatorId, provider);
      await op.open!({ startVersion: 0, provider: () => provider });
    }
    return this;
  }

  async run(watermarkMicros = -Infinity): Promise<Row[]> {
    const ctx: BatchContext = {
      batchId: this.#batchId++,
      eval: { batchTimestampMicros: 0, timeZoneId: UTC.id },
      sourceData: new Map(),
      watermarkMicros,
      outputMode: this.outputMode,
      streaming: true,
    };
    return (await this.query.root.execute(ctx)).flatMap(batchToRows);
  }

  get stateful(): StatefulOperator {
    return this.query.statefulOperators[0]!;
  }
}

/**
 * Rows keyed by name, a later column of the same name replacing an earlier one: the join
 * tests read both sides' "id" this way (collect() refuses such rows; operators do not care).
 */
function rowsByName(batch: ColumnBatch): Row[] {
  const names = batch.schema.fields.map((f) => f.name);
  if (new Set(names).size === names.length) return batchToRows(batch);
  const unique = batch.withSchema(new StructType(batch.schema.fields.map((f, k) => ({ ...f, name: `${k}` }))));
  return batchToRows(unique).map((r) => Object.fromEntries(names.map((n, k) => [n, r[`${k}`]])));
}

async function runBatch(plan: LogicalPlan): Promise<Row[]> {
  const { root } = planPhysical(plan, new RuntimeConfig());
  const batches = await root.execute({
    batchId: 0, eval: { batchTimestampMicros: 0, timeZoneId: UTC.id }, sourceData: new Map(),
    watermarkMicros: -Infinity, outputMode: "append", streaming: false,
  });
  return batches.flatMap(rowsByName);
}

const byJson = (rows: readonly Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

describe("AggregateExec, streaming", () => {
  it("update mode emits only the groups a batch changed, with their running totals", async () => {
    const input = streamInput("k STRING, v INT");
    const plan = aggregate(input.plan, [col("k")], [count(), Alias.create(AggregateCall.create("sum", [col("v")]), "total")]);
    const run = await new StreamRunner(plan, "update").open();

    input.next([{ k: "a", v: 1 }, { k: "a", v: 2 }, { k: "b", v: 10 }]);
    expect(byJson(await run.run())).toEqual(byJson([{ k: "a", count: 2, total: 3 }, { k: "b", count: 1, total: 10 }]));
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 2, numRowsUpdated: 2, numRowsRemoved: 0 });

    input.next([{ k: "b", v: 5 }, { k: null, v: 7 }]);
    expect(byJson(await run.run())).toEqual(byJson([{ k: "b", count: 2, total: 15 }, { k: null, count: 1, total: 7 }]));
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 3, numRowsUpdated: 2 });

    input.next([]);
    expect(await run.run()).toEqual([]);
    expect(run.providers.get(run.stateful.operatorId)!.latestVersion).toBe(3);
  });

  it("complete mode emits every group each batch", async () => {
    const input = streamInput("k STRING");
    const run = await new StreamRunner(aggregate(input.plan, [col("k")], [count()]), "complete").open();
    input.next([{ k: "a" }, { k: "b" }]);
    expect(byJson(await run.run())).toEqual(byJson([{ k: "a", count: 1 }, { k: "b", count: 1 }]));
    input.next([{ k: "a" }]);
    expect(byJson(await run.run())).toEqual(byJson([{ k: "a", count: 2 }, { k: "b", count: 1 }]));
    input.next([]);
    expect(byJson(await run.run())).toEqual(byJson([{ k: "a", count: 2 }, { k: "b", count: 1 }]));
  });

  it("append mode emits each window once, when the watermark passes its end, then evicts it; late rows are dropped and counted", async () => {
    const input = streamInput("time TIMESTAMP, v INT");
    const plan = aggregate(
      withWatermark(input.plan, "time", "5 seconds"),
      [WindowTime.create(col("time"), 10 * S, 10 * S, 0)],
      [count()],
    );
    const run = await new StreamRunner(plan, "append").open();
    const w = (start: number): { start: Date; end: Date } => ({ start: at(start), end: at(start + 10) });

    input.next([{ time: at(1), v: 1 }, { time: at(2), v: 1 }, { time: at(12), v: 1 }]);
    expect(await run.run()).toEqual([]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 2, numRowsRemoved: 0 });

    // Watermark 12 − 5 = 7 s: no window has ended by then.
    input.next([{ time: at(3), v: 1 }, { time: at(25), v: 1 }]);
    expect(await run.run(7 * S)).toEqual([]);

    // Watermark 25 − 5 = 20 s: [0, 10) and [10, 20) close; the row at 4 s is late.
    input.next([{ time: at(4), v: 1 }, { time: at(26), v: 1 }]);
    expect(await run.run(20 * S)).toEqual([{ window: w(0), count: 3 }, { window: w(10), count: 1 }]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 1, numRowsRemoved: 2, numRowsDroppedByWatermark: 1 });

    // Closed windows are not emitted again, and rows for them stay dropped.
    input.next([{ time: at(9), v: 1 }]);
    expect(await run.run(20 * S)).toEqual([]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 1, numRowsDroppedByWatermark: 1 });

    input.next([]);
    expect(await run.run(40 * S)).toEqual([{ window: w(20), count: 2 }]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 0, numRowsRemoved: 1 });
  });

  it("update mode with a watermark emits changed windows and evicts closed ones", async () => {
    const input = streamInput("time TIMESTAMP");
    const plan = aggregate(withWatermark(input.plan, "time", "0 seconds"), [WindowTime.create(col("time"), 10 * S, 10 * S, 0)], [count()]);
    const run = await new StreamRunner(plan, "update").open();
    input.next([{ time: at(1) }, { time: at(11) }]);
    expect((await run.run()).map((r) => r.count)).toEqual([1, 1]);
    input.next([{ time: at(2) }, { time: at(13) }]);
    expect(await run.run(11 * S)).toEqual([{ window: { start: at(10), end: at(20) }, count: 2 }]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsDroppedByWatermark: 1, numRowsTotal: 1 });
  });

  it("sliding windows count each row in size/slide windows", async () => {
    const input = streamInput("time TIMESTAMP");
    const plan = aggregate(input.plan, [WindowTime.create(col("time"), 30 * S, 10 * S, 0)], [count()]);
    const run = await new StreamRunner(plan, "complete").open();
    input.next([{ time: at(25) }, { time: at(5) }]);
    const rows = (await run.run()).map((r) => [(r.window as { start: Date }).start.getTime() / 1000, r.count]).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(rows).toEqual([[-20, 1], [-10, 1], [0, 2], [10, 1], [20, 1]]);
  });

  it("a batch aggregation over no rows still gives one global row", async () => {
    const rel = localRelation("empty", parseSchema("v INT"), () => []);
    expect(await runBatch(aggregate(rel, [], [count(), Alias.create(AggregateCall.create("sum", [col("v")]), "s")]))).toEqual([{ count: 0, s: null }]);
  });
});

describe("DeduplicateExec, streaming", () => {
  it("emits the first row of each key once across batches", async () => {
    const input = streamInput("id INT, v STRING");
    const run = await new StreamRunner(deduplicate(input.plan, ["id"]), "append").open();
    input.next([{ id: 1, v: "a" }, { id: 1, v: "b" }, { id: 2, v: "c" }, { id: null, v: "n1" }, { id: null, v: "n2" }]);
    expect(await run.run()).toEqual([{ id: 1, v: "a" }, { id: 2, v: "c" }, { id: null, v: "n1" }]);
    input.next([{ id: 2, v: "d" }, { id: 3, v: "e" }, { id: null, v: "n3" }]);
    expect(await run.run()).toEqual([{ id: 3, v: "e" }]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsTotal: 4, numRowsUpdated: 1 });
  });

  it("with a watermarked event time among the keys, forgets old keys and drops late rows", async () => {
    const input = streamInput("id INT, time TIMESTAMP");
    const run = await new StreamRunner(deduplicate(withWatermark(input.plan, "time", "0 seconds"), ["id", "time"]), "append").open();
    input.next([{ id: 1, time: at(10) }, { id: 1, time: at(10) }, { id: 2, time: at(20) }]);
    expect(await run.run()).toEqual([{ id: 1, time: at(10) }, { id: 2, time: at(20) }]);
    input.next([{ id: 1, time: at(10) }, { id: 2, time: at(20) }, { id: 3, time: at(30) }]);
    expect(await run.run(15 * S)).toEqual([{ id: 3, time: at(30) }]);
    expect(run.stateful.stateMetrics()).toMatchObject({ numRowsDroppedByWatermark: 1, numRowsRemoved: 1, numRowsTotal: 2 });
  });

  it("in a batch query deduplicates all rows at once", async () => {
    const rel = localRelation("t", parseSchema("a INT, b STRING"), () => [rowsToBatch(parseSchema("a INT, b STRING"), [[1, "x"], [1, "x"], [1, "y"]], "t")]);
    expect(await runBatch(deduplicate(rel, null))).toEqual([{ a: 1, b: "x" }, { a: 1, b: "y" }]);
  });
});

describe("HashJoinExec", () => {
  const people = localRelation("people", parseSchema("id INT, name STRING"), () => [
    rowsToBatch(parseSchema("id INT, name STRING"), [[1, "a"], [2, "b"], [3, "c"], [null, "d"]], "people"),
  ]);
  const scores = localRelation("scores", parseSchema("id INT, score INT"), () => [
    rowsToBatch(parseSchema("id INT, score INT"), [[1, 10], [1, 11], [3, 30], [null, 99], [4, 40]], "scores"),
  ]);
  const l = subqueryAlias(people, "l");
  const r = subqueryAlias(scores, "r");
  const onId = call("equalto", col("id", "l"), col("id", "r"));
  const j = (on: Expression | readonly string[], type: JoinType): Promise<Row[]> => runBatch(join(l, r, on, type));

  it("inner: every matching pair; null keys never match", async () => {
    // Both sides have an "id" column; rows keyed by name show the right one last.
    expect(byJson(await j(onId, "inner"))).toEqual(byJson([
      { id: 1, name: "a", score: 10 }, { id: 1, name: "a", score: 11 }, { id: 3, name: "c", score: 30 },
    ]));
  });

  it("left outer keeps unmatched left rows with nulls on the right", async () => {
    const rows = await j(onId, "left_outer");
    expect(rows.map((x) => [x.name, x.score])).toEqual(expect.arrayContaining([["a", 10], ["a", 11], ["c", 30], ["b", null], ["d", null]]));
    expect(rows.length).toBe(5);
  });

  it("right and full outer keep unmatched right rows", async () => {
    const right = await j(onId, "right_outer");
    expect(right.map((x) => [x.name, x.score]).sort()).toEqual([["a", 10], ["a", 11], ["c", 30], [null, 40], [null, 99]].sort());
    const full = await j(onId, "full_outer");
    expect(full.length).toBe(7);
  });

  it("semi and anti joins output the left side only; a null key row is anti-joined", async () => {
    expect(await j(onId, "left_semi")).toEqual([{ id: 1, name: "a" }, { id: 3, name: "c" }]);
    expect(await j(onId, "left_anti")).toEqual([{ id: 2, name: "b" }, { id: null, name: "d" }]);
  });

  it("applies a residual condition to candidate pairs, before deciding outer rows", async () => {
    const cond = call("and", onId, call("greaterthan", col("score"), lit(10)));
    const inner = await j(cond, "inner");
    expect(inner.map((x) => [x.name, x.score])).toEqual([["a", 11], ["c", 30]]);
    const outer = await runBatch(join(l, r, call("and", onId, call("greaterthan", col("score"), lit(20))), "left_outer"));
    expect(outer.map((x) => [x.name, x.score]).sort()).toEqual([["a", null], ["b", null], ["c", 30], ["d", null]]);
    expect(await runBatch(join(l, r, cond, "left_anti"))).toEqual([{ id: 2, name: "b" }, { id: null, name: "d" }]);
  });

  it("USING joins output the key once, then the other columns", async () => {
    const rows = await runBatch(join(people, scores, ["id"], "inner"));
    expect(Object.keys(rows[0]!)).toEqual(["id", "name", "score"]);
    expect(rows.map((x) => [x.id, x.name, x.score])).toEqual([[1, "a", 10], [1, "a", 11], [3, "c", 30]]);
  });
});

describe("SortExec", () => {
  const schema = parseSchema("k INT, tag STRING");
  const rel = localRelation("t", schema, () => [
    rowsToBatch(schema, [[2, "a"], [null, "b"], [1, "c"]], "t"),
    rowsToBatch(schema, [[2, "d"], [3, "e"], [null, "f"], [1, "g"]], "t"),
  ]);
  const tags = (rows: Row[]): unknown[] => rows.map((x) => x.tag);

  it("ascending puts nulls first; equal keys keep their input order", async () => {
    expect(tags(await runBatch(sort(rel, [SortOrder.create(col("k"), true)])))).toEqual(["b", "f", "c", "g", "a", "d", "e"]);
  });

  it("descending puts nulls last", async () => {
    expect(tags(await runBatch(sort(rel, [SortOrder.create(col("k"), false)])))).toEqual(["e", "a", "d", "c", "g", "b", "f"]);
  });

  it("explicit null placement and several keys", async () => {
    expect(tags(await runBatch(sort(rel, [SortOrder.create(col("k"), true, false)])))).toEqual(["c", "g", "a", "d", "e", "b", "f"]);
    expect(tags(await runBatch(sort(rel, [SortOrder.create(col("k"), false, true), SortOrder.create(col("tag"), false)])))).toEqual(["f", "b", "e", "d", "a", "g", "c"]);
  });

  it("sorts strings by code point", async () => {
    const s = parseSchema("s STRING");
    const words = localRelation("w", s, () => [rowsToBatch(s, [["b"], ["B"], ["a"], ["é"]], "w")]);
    expect((await runBatch(sort(words, [col("s")]))).map((x) => x.s)).toEqual(["B", "a", "b", "é"]);
  });
});

describe("StreamingLimitExec", () => {
  it("emits at most n rows over the whole stream in append mode", async () => {
    const input = streamInput("v INT");
    const run = await new StreamRunner(limit(input.plan, 3), "append").open();
    expect(run.query.root.name).toBe("StreamingGlobalLimit");
    input.next([{ v: 1 }, { v: 2 }]);
    expect(await run.run()).toEqual([{ v: 1 }, { v: 2 }]);
    input.next([{ v: 3 }, { v: 4 }]);
    expect(await run.run()).toEqual([{ v: 3 }]);
    input.next([{ v: 5 }]);
    expect(await run.run()).toEqual([]);
    expect(run.providers.get(run.stateful.operatorId)!.latestVersion).toBe(3);
  });

  it("restores the count from the state store", async () => {
    const input = streamInput("v INT");
    const first = await new StreamRunner(limit(input.plan, 3), "append").open();
    input.next([{ v: 1 }, { v: 2 }]);
    await first.run();
    const provider = first.providers.get(first.stateful.operatorId)!;
    const second = new StreamRunner(limit(input.plan, 3), "append");
    await second.stateful.open!({ startVersion: 1, provider: () => provider });
    input.next([{ v: 3 }, { v: 4 }]);
    const ctx: BatchContext = {
      batchId: 1, eval: { batchTimestampMicros: 0, timeZoneId: UTC.id }, sourceData: new Map(),
      watermarkMicros: -Infinity, outputMode: "append", streaming: true,
    };
    expect((await second.query.root.execute(ctx)).flatMap(batchToRows)).toEqual([{ v: 3 }]);
  });
});
