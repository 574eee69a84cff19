import { create } from "@bufbuild/protobuf";
import { AnalysisError, assertNever } from "../../common/errors.ts";
import type { Column } from "../../api/column.ts";
import { sparkFormOf } from "../../api/spark-form.ts";
import type { Expression as LocalExpression, WindowFrame } from "../../expr/expression.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  Expression_Cast_EvalMode, ExpressionSchema, Expression_Window_WindowFrame_FrameType, type Expression, type Expression_SortOrder, type Expression_Window_WindowFrameSchema,
} from "../gen/spark/connect/expressions_pb.ts";
import { toProtoDataType } from "./data-types.ts";
import { isTemporaryFunction } from "../../expr/functions/registry.ts";
import { displayExpression } from "../../expr/display.ts";
import { alias, call, caseWhen, column, expressionString, literal, sortOrder } from "./expressions.ts";

/**
 * rivulet's operator names → Spark's, as Spark 4.0's Scala Column builds them (`===` is "=",
 * `=!=` is `!(=)`, `isNull` is "isNull", `!` is "!"; PySpark would send "==" and "not", the
 * issue names Scala's). Names not listed are the same in both (functions such as `upper`,
 * `window`, `sum`).
 */
const SPARK_NAMES: Readonly<Record<string, string>> = {
  add: "+", subtract: "-", multiply: "*", divide: "/", mod: "%",
  equalto: "=", eqnullsafe: "<=>",
  greaterthan: ">", greaterthanorequal: ">=", lessthan: "<", lessthanorequal: "<=",
  not: "!", isnull: "isNull", isnotnull: "isNotNull",
};

/** A Column as the Spark Connect Expression Spark's client sends for the same calls. */
export function columnToProto(c: Column): Expression {
  return toProto(c.expr);
}

/** `sort`/`orderBy` keys: a Column that is not already an ordering sorts ascending, nulls first (Spark's). */
export function sortOrderToProto(c: Column): Expression_SortOrder {
  const e = toProto(c.expr);
  const ordered = e.exprType.case === "sortOrder" ? e : sortOrder(e, true);
  return ordered.exprType.value as Expression_SortOrder;
}

export function toProto(e: LocalExpression): Expression {
  const form = sparkFormOf(e);
  if (form !== undefined) {
    switch (form.kind) {
      case "sql": return expressionString(form.text);
      case "attribute": return column(form.name, form.planId);
      case "call": return call(form.name, form.args.map(toProto));
      case "extractValue": return extractValue(toProto(form.child), toProto(form.extraction));
      // Spark's client sends the whole name (`a.b.c`); the server parses the path.
      case "updateFields": return create(ExpressionSchema, {
        exprType: { case: "updateFields", value: { structExpression: toProto(form.struct), fieldName: form.fieldName, ...(form.value === null ? {} : { valueExpression: toProto(form.value) }) } },
      });
    }
  }
  switch (e.kind) {
    case "ColumnRef": return column(e.qualifier === null ? e.name : `${e.qualifier}.${e.name}`);
    case "Star": return column(e.qualifier === null ? "*" : `${e.qualifier}.*`);
    case "Literal": return literal(e.value);
    case "Alias": return alias(toProto(e.child), e.names ?? e.name);
    case "Cast":
      // Spark 4.0's Scala client parses `cast("long")` and sends the DataType (`type`); PySpark
      // would send the string as `type_str`. We follow the Scala client.
      return create(ExpressionSchema, { exprType: { case: "cast", value: { expr: toProto(e.child), castToType: { case: "type", value: toProtoDataType(e.to) }, ...(e.evalMode === "try" ? { evalMode: Expression_Cast_EvalMode.TRY } : {}) } } });
    case "Call": {
      // `a =!= b` is `!(a = b)` in Spark's Column.
      if (e.name === "notequalto") return call("!", [call("=", e.args.map(toProto))]);
      // Spark's `unix_timestamp()` is `unix_timestamp(current_timestamp())`.
      if (e.name === "unix_timestamp" && e.args.length === 0) return call("unix_timestamp", [call("current_timestamp", [])]);
      if (isTemporaryFunction(e.name)) {
        throw new AnalysisError(`${displayExpression(e)} calls a JavaScript user-defined function: it runs only in a local session, a Spark cluster cannot run it (use a built-in function, or register the function on the cluster in Python or Scala and call it by name with call_function)`);
      }
      return call(SPARK_NAMES[e.name] ?? e.name, e.args.map(toProto));
    }
    case "Case": return caseWhen(e.branches.map(([w, t]) => [toProto(w), toProto(t)] as const), e.otherwise === null ? null : toProto(e.otherwise));
    case "GetField": return extractValue(toProto(e.child), literal(e.field));
    case "AggregateCall": {
      // count(*) is count(1), as Spark's functions.count turns a star without target
      // (`col("*")` or `df.col("*")`); countDistinct keeps it.
      const args = e.args.map(toProto);
      const star = args.length === 1 && args[0]!.exprType.case === "unresolvedStar" ? args[0]!.exprType.value : null;
      const countStar = e.name === "count" && !e.distinct && star !== null && star.unparsedTarget === undefined;
      return call(e.name, countStar ? [literal(1)] : args, e.distinct);
    }
    case "SortOrder": return sortOrder(toProto(e.child), e.ascending, e.nullsFirst);
    case "WindowExpression": {
      const orderSpec = e.orderBy.map((o) => sortOrder(toProto(o.child), o.ascending, o.nullsFirst).exprType.value as Expression_SortOrder);
      return create(ExpressionSchema, {
        exprType: {
          case: "window",
          value: {
            windowFunction: toProto(e.fn), partitionSpec: e.partitionBy.map(toProto), orderSpec,
            ...(e.frame === null ? {} : { frameSpec: frameSpec(e.frame) }),
          },
        },
      });
    }
    case "WindowTime":
    case "SessionWindow":
      // Made by window()/session_window(), which record their Spark form; only SQL-built ones get here.
      throw new AnalysisError("[UNSUPPORTED_ON_SPARK_CONNECT] this window expression was not built by window()/session_window(): write it with them or in expr(\"…\")");
    case "Subquery":
      throw new AnalysisError("[UNSUPPORTED_ON_SPARK_CONNECT] a subquery expression goes to Spark as SQL: use expr(\"…\") or spark.sql(\"…\")");
    default:
      return assertNever(e);
  }
}

type Expression_Window_WindowFrameInit = MessageInitShape<typeof Expression_Window_WindowFrameSchema>;

/**
 * `rowsBetween`/`rangeBetween` as Spark 4.0's WindowSpec builds the frame: 0 is CURRENT ROW,
 * an unbounded end is `unbounded`, any other offset a literal (an integer for ROWS, which
 * Spark limits to 32 bits, a long for RANGE).
 */
function frameSpec(frame: WindowFrame): Expression_Window_WindowFrameInit {
  const bound = (offset: number, side: "START" | "END") => offset === 0 ? { boundary: { case: "currentRow" as const, value: true } }
    : !Number.isFinite(offset) ? { boundary: { case: "unbounded" as const, value: true } }
      : { boundary: { case: "value" as const, value: frame.frameType === "rows" ? rowsOffset(offset, side) : literal(BigInt(offset)) } };
  return {
    frameType: frame.frameType === "rows" ? Expression_Window_WindowFrame_FrameType.ROW : Expression_Window_WindowFrame_FrameType.RANGE,
    lower: bound(frame.lower, "START"), upper: bound(frame.upper, "END"),
  };
}

function rowsOffset(offset: number, side: "START" | "END"): Expression {
  if (!Number.isInteger(offset) || offset < -(2 ** 31) || offset >= 2 ** 31) {
    throw new AnalysisError(`[INVALID_BOUNDARY.${side}] The boundary \`${side.toLowerCase()}\` is invalid: ${offset}. Expected an integer of 32 bits, Window.unboundedPreceding, Window.currentRow or Window.unboundedFollowing.`);
  }
  return literal(offset);
}

/** `getField(name)`, `getItem(key)`: Spark's UnresolvedExtractValue. */
function extractValue(child: Expression, extraction: Expression): Expression {
  return create(ExpressionSchema, { exprType: { case: "unresolvedExtractValue", value: { child, extraction } } });
}
