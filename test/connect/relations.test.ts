import { toJson } from "@bufbuild/protobuf";
import { describe, expect, test } from "vitest";
import { RelationSchema } from "../../src/connect/gen/spark/connect/relations_pb.ts";
import { ExpressionSchema } from "../../src/connect/gen/spark/connect/expressions_pb.ts";
import { call, column, expressionString, literal, sortOrder, timeWindow, caseWhen, between } from "../../src/connect/plan/expressions.ts";
import { COUNT_ROWS, RelationBuilder, joinTypeOf } from "../../src/connect/plan/relations.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (r: Parameters<typeof toJson<typeof RelationSchema>>[1]): any => toJson(RelationSchema, r);
const exprJson = (e: Parameters<typeof toJson<typeof ExpressionSchema>>[1]): any => toJson(ExpressionSchema, e);

describe("Spark Connect relations, call by call", () => {
  test("the issue's job: readStream…json(dir), withWatermark, groupBy(action, window).count(), plan ids in creation order", () => {
    const b = new RelationBuilder();
    const logs = b.readDataSource({ format: "json", schema: "time TIMESTAMP, action STRING", options: {}, paths: ["s3a://bucket/logs/"] }, true);
    const watermarked = b.withWatermark(logs, "time", "10 minutes");
    const counts = b.aggregate(watermarked, [column("action"), timeWindow(column("time"), "1 hour")], [COUNT_ROWS]);
    expect(json(counts)).toEqual({
      common: { planId: "2" },
      aggregate: {
        input: {
          common: { planId: "1" },
          withWatermark: {
            input: { common: { planId: "0" }, read: { isStreaming: true, dataSource: { format: "json", schema: "time TIMESTAMP, action STRING", paths: ["s3a://bucket/logs/"] } } },
            eventTime: "time", delayThreshold: "10 minutes",
          },
        },
        groupType: "GROUP_TYPE_GROUPBY",
        groupingExpressions: [
          { unresolvedAttribute: { unparsedIdentifier: "action" } },
          { unresolvedFunction: { functionName: "window", arguments: [
            { unresolvedAttribute: { unparsedIdentifier: "time" } },
            { literal: { string: "1 hour" } }, { literal: { string: "1 hour" } }, { literal: { string: "0 second" } },
          ], isInternal: false } },
        ],
        aggregateExpressions: [{ alias: { expr: { unresolvedFunction: { functionName: "count", arguments: [{ literal: { integer: 1 } }], isInternal: false } }, name: ["count"] } }],
      },
    });
  });

  test("project, filter by SQL text, withColumns, renames, drop, sort, limit, dedup, union by name, joins", () => {
    const b = new RelationBuilder();
    const t = b.readTable("events", {}, false);
    expect(json(b.filter(t, expressionString("bytes > 1024"))).filter).toEqual({ input: json(t), condition: { expressionString: { expression: "bytes > 1024" } } });
    expect(json(b.withColumns(t, [["kb", call("/", [column("bytes"), literal(1024)])]])).withColumns.aliases)
      .toEqual([{ expr: { unresolvedFunction: { functionName: "/", arguments: [{ unresolvedAttribute: { unparsedIdentifier: "bytes" } }, { literal: { integer: 1024 } }], isInternal: false } }, name: ["kb"] }]);
    expect(json(b.withColumnsRenamed(t, [["a", "b"]])).withColumnsRenamed.renames).toEqual([{ colName: "a", newColName: "b" }]);
    expect(json(b.drop(t, [], ["a", "b"])).drop).toEqual({ input: json(t), columnNames: ["a", "b"] });
    const sorted = b.sort(t, [sortOrder(column("a"), true).exprType.value as never, sortOrder(column("b"), false).exprType.value as never]);
    expect(json(sorted).sort.order).toEqual([
      { child: { unresolvedAttribute: { unparsedIdentifier: "a" } }, direction: "SORT_DIRECTION_ASCENDING", nullOrdering: "SORT_NULLS_FIRST" },
      { child: { unresolvedAttribute: { unparsedIdentifier: "b" } }, direction: "SORT_DIRECTION_DESCENDING", nullOrdering: "SORT_NULLS_LAST" },
    ]);
    expect(json(sorted).sort.isGlobal).toBe(true);
    expect(json(b.limit(t, 5)).limit).toEqual({ input: json(t), limit: 5 });
    expect(json(b.deduplicate(t, null)).deduplicate).toEqual({ input: json(t), allColumnsAsKeys: true, withinWatermark: false });
    expect(json(b.deduplicate(t, ["id"])).deduplicate).toEqual({ input: json(t), columnNames: ["id"], withinWatermark: false });
    const other = b.readTable("more", { k: "v" }, false);
    expect(json(b.setOperation(t, other, "union", { isAll: true, byName: true, allowMissingColumns: true })).setOp)
      .toMatchObject({ setOpType: "SET_OP_TYPE_UNION", isAll: true, byName: true, allowMissingColumns: true });
    expect(json(b.join(t, other, "inner", {})).join).toEqual({ left: json(t), right: json(other), joinType: "JOIN_TYPE_INNER" });
    expect(json(b.join(t, other, "left_outer", { usingColumns: ["id"] })).join).toMatchObject({ joinType: "JOIN_TYPE_LEFT_OUTER", usingColumns: ["id"] });
    const tId = (json(t) as { common: { planId: string } }).common.planId;
    const cond = call("=", [column("id", BigInt(tId)), column("id", 9n)]);
    expect(json(b.join(t, other, "fullOuter", { condition: cond })).join.joinCondition.unresolvedFunction.arguments[0])
      .toEqual({ unresolvedAttribute: { unparsedIdentifier: "id", planId: tId } });
    expect(() => joinTypeOf("sideways")).toThrow("[UNSUPPORTED_JOIN_TYPE] Unsupported join type 'sideways'.");
  });

  test("literals: integers, longs, doubles, bigints, dates, strings, null; stars; when, between", () => {
    expect(exprJson(literal(7))).toEqual({ literal: { integer: 7 } });
    expect(exprJson(literal(2 ** 40))).toEqual({ literal: { long: String(2 ** 40) } });
    expect(exprJson(literal(1.5))).toEqual({ literal: { double: 1.5 } });
    expect(exprJson(literal(1e20))).toEqual({ literal: { double: 1e20 } });
    expect(exprJson(literal(-(2 ** 63)))).toEqual({ literal: { long: "-9223372036854775808" } });
    expect(exprJson(literal(9007199254740993n))).toEqual({ literal: { long: "9007199254740993" } });
    expect(exprJson(literal(new Date(Date.UTC(2026, 0, 1))))).toEqual({ literal: { timestamp: "1767225600000000" } });
    expect(exprJson(literal("x"))).toEqual({ literal: { string: "x" } });
    expect(exprJson(literal(null))).toEqual({ literal: { null: { null: {} } } });
    expect(exprJson(column("*"))).toEqual({ unresolvedStar: {} });
    expect(exprJson(column("t.*"))).toEqual({ unresolvedStar: { unparsedTarget: "t.*" } });
    expect(exprJson(caseWhen([[column("a"), literal(1)], [column("b"), literal(2)]], literal(0))).unresolvedFunction.arguments).toHaveLength(5);
    expect(exprJson(between(column("a"), literal(1), literal(3))).unresolvedFunction.functionName).toBe("and");
  });
});
