import { AnalysisError } from "../common/errors.ts";
import { nameParts, quoteIfNeeded, sameName } from "../common/identifiers.ts";

export { nameParts };
import { atOrigin, originOf, type SqlOrigin } from "./origin.ts";
import { unresolvedColumnError } from "./unresolved-column.ts";
import { BooleanType, ByteType, LongType, StructType, TimestampNTZType, TimestampType, typeName, type DataType } from "../types/data-types.ts";
import { lookupAggregate } from "./aggregates/index.ts";
import { checkCast } from "./cast.ts";
import { castIfNeeded, typeOf } from "./coercion.ts";
import { displayExpression } from "./display.ts";
import { dataDiffTypes, widerCommonType } from "./type-coercion-wider.ts";
import {
  AggregateCall, Alias, Call, Case, Cast, ColumnRef, GetField, Literal, SessionWindow, SortOrder, WindowTime, type Expression,
} from "./expression.ts";
import { fieldNotFound } from "./functions/extract-value.ts";
import { lookupFunction } from "./functions/registry.ts";
import { unresolvedRoutineError } from "./unresolved-routine.ts";
import "./functions/index.ts";
import { isGeneratorCall } from "./generators/index.ts";
import { literalTypeOf, literalValue } from "./literal-type.ts";
import { resolveWindowExpression } from "./window/resolve-window.ts";
import { lookupWindowFunction } from "./window/window-functions.ts";
import type { Scope } from "./scope.ts";
import { isWindowStruct, windowTimeFunction } from "./functions/window-time-function.ts";

export const WindowStructType = new StructType([
  { name: "start", dataType: TimestampType, nullable: true },
  { name: "end", dataType: TimestampType, nullable: true },
]);

/** window()'s and session_window()'s struct over TIMESTAMP_NTZ: Spark keeps the time column's type. */
export const NtzWindowStructType = new StructType([
  { name: "start", dataType: TimestampNTZType, nullable: true },
  { name: "end", dataType: TimestampNTZType, nullable: true },
]);

/** The window struct for a time column of type `t`; null when `t` cannot be a window's time. */
function windowStructOf(t: DataType): StructType | null {
  return t.kind === "timestamp" ? WindowStructType : t.kind === "timestamp_ntz" ? NtzWindowStructType : null;
}


function fieldAccess(base: Expression, path: readonly string[], written: string): Expression {
  let e = base;
  for (const p of path) {
    const t = typeOf(e);
    if (t.kind !== "struct") throw new AnalysisError(`cannot resolve '${written}': ${displayExpression(e)} is of type ${typeName(t)}, not a struct`);
    const f = t.fields.find((x) => sameName(x.name, p));
    if (!f) throw fieldNotFound(p, t);
    e = GetField.create(e, f.name, f.dataType);
  }
  return e;
}

/** Resolves a column name against the visible columns, as Spark's analyzer does. */
export function resolveColumn(name: string, qualifier: string | null, scope: Scope, origin?: SqlOrigin): Expression {
  const parts = nameParts(name);
  const written = qualifier ? `${qualifier}.${name}` : name;
  const candidates: { index: number; rest: string[]; qualified?: boolean }[] = [];
  const q = qualifier ?? (parts.length > 1 ? parts[0]! : null);
  const qualifiedBy = (c: Scope[number], name: string): boolean =>
    (c.qualifier !== null && sameName(c.qualifier, name)) || (c.alsoQualifiedBy?.some((a) => sameName(a, name)) ?? false);
  scope.forEach((c, index) => {
    if (qualifier !== null) {
      if (qualifiedBy(c, qualifier) && sameName(c.name, parts[0]!)) candidates.push({ index, rest: parts.slice(1) });
      return;
    }
    if (q !== null && qualifiedBy(c, q) && sameName(c.name, parts[1]!)) candidates.push({ index, rest: parts.slice(2), qualified: true });
    else if (sameName(c.name, parts[0]!)) candidates.push({ index, rest: parts.slice(1) });
    else if (parts.length > 1 && sameName(c.name, name)) candidates.push({ index, rest: [] });
  });
  // `t.c` names column c of table t before a field c of a column named t (Spark's order).
  if (candidates.some((c) => c.qualified === true)) candidates.splice(0, candidates.length, ...candidates.filter((c) => c.qualified === true));
  if (candidates.length === 0) throw unresolvedColumnError(written, scope.map((c) => (c.qualifier === null ? [c.name] : [c.qualifier, c.name])), origin);
  const exact = candidates.filter((c) => scope[c.index]!.name === parts[0] || scope[c.index]!.name === parts[1]);
  const chosen = candidates.length === 1 ? candidates : exact.length === 1 ? exact : candidates;
  if (chosen.length > 1) {
    throw new AnalysisError(`[AMBIGUOUS_REFERENCE] Reference \`${written}\` is ambiguous, could be: [${chosen.map((c) => { const s = scope[c.index]!; return `\`${s.qualifier ? `${s.qualifier}.` : ""}${s.name}\``; }).join(", ")}]`);
  }
  const { index, rest } = chosen[0]!;
  const col = scope[index]!;
  return fieldAccess(ColumnRef.bound(col.name, index, col.dataType, col.nullable, col.qualifier), rest, written);
}

function qualifiedColumns(qualifier: string, scope: Scope): Expression[] {
  const cols = scope.flatMap((c, i) => (c.qualifier !== null && sameName(c.qualifier, qualifier) ? [ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)] : []));
  if (cols.length === 0) throw new AnalysisError(`[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve ${quoteIfNeeded(qualifier)}.* given input columns ${scope.map((c) => quoteIfNeeded(c.name)).join(", ")}. Please check that the specified table or struct exists and is accessible in the input columns.`);
  return cols;
}

export interface ResolveOptions {
  /** Aggregate calls are allowed (in Aggregate expressions, HAVING). */
  readonly allowAggregates?: boolean;
}

/** Resolves names and types bottom-up; throws AnalysisError with Spark-like messages. */
export function resolveExpression(e: Expression, scope: Scope, options: ResolveOptions = {}): Expression {
  const recur = (x: Expression): Expression => resolveExpression(x, scope, options);
  switch (e.kind) {
    case "ColumnRef":
      if (e.index >= 0 && e.dataType !== null && scope[e.index]?.name === e.name) return e;
      return resolveColumn(e.name, e.qualifier, scope, originOf(e));
    case "Literal": {
      if (e.dataType !== null) return e;
      const t = literalTypeOf(e.value);
      return Literal.create(literalValue(e.value, t), t);
    }
    case "Alias": return Alias.create(recur(e.child), e.name);
    case "Cast": {
      const child = recur(e.child);
      checkCast(typeOf(child), e.to, displayExpression(child), atOrigin(originOf(e)));
      return e.evalMode === "try" ? Cast.tryCast(child, e.to) : Cast.create(child, e.to, e.implicit === true);
    }
    case "Call": {
      if (lookupWindowFunction(e.name) !== undefined) {
        throw new AnalysisError(`[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "${e.name}" requires an OVER clause.`);
      }
      // A SELECT list's generator became a Generate (plan/generate.ts): one left here is elsewhere.
      if (isGeneratorCall(e)) {
        throw new AnalysisError(`[UNSUPPORTED_GENERATOR.OUTSIDE_SELECT] The generator is not supported: outside the SELECT clause, found: "${displayExpression(e)}".`);
      }
      const higherOrder = lookupFunction(e.name);
      if (higherOrder?.resolveWithLambdas !== undefined) {
        const sig = higherOrder.resolveWithLambdas(e.args, recur);
        return Call.create(e.name, sig.args, sig.dataType);
      }
      const args = e.args.map(recur);
      // grouping(a) / grouping_id(…): answered by the grouping sets' Expand (plan/grouping-sets.ts).
      if (e.name === "grouping" || e.name === "grouping_id") {
        if (e.name === "grouping" && args.length !== 1) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`grouping\` requires 1 parameters but the actual number is ${args.length}.`);
        return Call.create(e.name, args, e.name === "grouping" ? ByteType : LongType);
      }
      const f = lookupFunction(e.name);
      if (f === undefined) throw unresolvedRoutineError(e.name, originOf(e));
      let sig;
      try {
        sig = f.resolve(args);
      } catch (error) {
        // Spark's errors name where the call was written in SQL ("; line 1 pos 7").
        const where = atOrigin(originOf(e));
        if (!(error instanceof AnalysisError) || where === "" || error.errorClass === null || error.message.includes("; line ")) throw error;
        throw new AnalysisError(`${error.message}${where}`, { cause: error.cause, errorClass: error.errorClass, messageParameters: error.messageParameters, ...(error.sqlState === null ? {} : { sqlState: error.sqlState }) });
      }
      return Call.create(e.name, sig.args, sig.dataType);
    }
    case "AggregateCall": {
      if (!options.allowAggregates) {
        throw new AnalysisError(`aggregate function ${displayExpression(e)} is not allowed here: aggregates belong in groupBy(...).agg(...), select over an aggregation, or HAVING`);
      }
      // Nested aggregates resolve here so that the aggregation builder can name the mistake.
      // count(t.*): t's columns (a row counts when all of them are non-null), as Spark expands it.
      const args = e.args.flatMap((a) => (a.kind === "Star" ? (a.qualifier === null ? [a] : qualifiedColumns(a.qualifier, scope)) : [resolveExpression(a, scope, { allowAggregates: true })]));
      const f = lookupAggregate(e.name);
      if (!f) throw new AnalysisError(`undefined aggregate function: ${e.name}`);
      const sig = f.resolve(args, e.distinct);
      return AggregateCall.create(e.name, sig.args, e.distinct, sig.dataType, e.filter === undefined ? undefined : aggregateFilter(e, resolveExpression(e.filter, scope)));
    }
    case "Case": {
      const branches = e.branches.map(([c, v]) => [recur(c), recur(v)] as const);
      const otherwise = e.otherwise ? recur(e.otherwise) : null;
      for (const [c] of branches) {
        const t = typeOf(c);
        if (t.kind !== "boolean" && t.kind !== "null") throw new AnalysisError(`CASE WHEN condition ${displayExpression(c)} must be boolean, not ${typeName(t)}`);
      }
      // Spark's CaseWhenCoercion: findWiderCommonType of the values, promoting a number met with a string to string.
      const values = [...branches.map((b) => b[1]), ...(otherwise ? [otherwise] : [])];
      const common = widerCommonType(values.map(typeOf));
      if (common === null) throw dataDiffTypes(displayExpression(Case.create(branches, otherwise, null)), "casewhen", values);
      const result: DataType = common;
      return Case.create(
        branches.map(([c, v]) => [castIfNeeded(c, BooleanType), castIfNeeded(v, result)] as const),
        otherwise ? castIfNeeded(otherwise, result) : null,
        result,
      );
    }
    case "GetField": {
      const child = recur(e.child);
      return fieldAccess(child, [e.field], `${displayExpression(child)}.${e.field}`);
    }
    case "WindowTime": {
      const time = windowTimeColumn(recur(e.timeColumn));
      const t = typeOf(time);
      const struct = windowStructOf(t);
      if (struct === null) {
        throw new AnalysisError(`cannot resolve '${displayExpression(e)}': the time column of window() must be a timestamp, but ${displayExpression(time)} is ${typeName(t)}`);
      }
      return WindowTime.create(time, e.sizeMicros, e.slideMicros, e.startMicros, struct);
    }
    case "SessionWindow": {
      const time = windowTimeColumn(recur(e.timeColumn));
      const t = typeOf(time);
      const struct = windowStructOf(t);
      if (struct === null) {
        throw new AnalysisError(`cannot resolve '${displayExpression(e)}': the time column of session_window() must be a timestamp, but ${displayExpression(time)} is ${typeName(t)}`);
      }
      const gap = e.gap === null ? null : recur(e.gap);
      const gapKind = gap === null ? null : typeOf(gap).kind;
      if (gap !== null && gapKind !== "string" && gapKind !== "interval_dt" && gapKind !== "null") {
        throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${displayExpression(e)}" due to data type mismatch: the gap duration of session_window() must be a string such as '5 minutes' or a day-time INTERVAL, but ${displayExpression(gap)} is ${typeName(typeOf(gap))}.`);
      }
      return SessionWindow.create(time, gap, e.gapMicros, struct);
    }
    case "SortOrder": return SortOrder.create(recur(e.child), e.ascending, e.nullsFirst);
    case "WindowExpression":
      return resolveWindowExpression(e, (x, allowAggregates) => resolveExpression(x, scope, { ...options, allowAggregates: allowAggregates || options.allowAggregates }), displayExpression);
    case "Star": throw new AnalysisError(`'${displayExpression(e)}' can only be used in a projection`);
    case "Subquery":
      throw new AnalysisError(`[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY] Unsupported subquery expression: ${displayExpression(e)} is supported in a SELECT list, WHERE and HAVING only.`);
  }
}

/**
 * The time column of window()/session_window(): over a window column (`window(col("window"),
 * "1 hour")`, Spark 3.4+) the event time of its rows, `window_time(window)` (the end less a
 * microsecond).
 */
function windowTimeColumn(time: Expression): Expression {
  const t = typeOf(time);
  // A string is cast to a timestamp, as Spark's implicit cast of window()'s TIMESTAMP input.
  // NULL too: its rows belong to no window.
  if (t.kind === "string" || t.kind === "null") return castIfNeeded(time, TimestampType);
  if (!isWindowStruct(t)) return time;
  const sig = windowTimeFunction.resolve([time]);
  return Call.create(windowTimeFunction.name, sig.args, sig.dataType);
}

/** An aggregate's FILTER (WHERE cond): a boolean, without aggregates (resolved without them, so they fail by name). */
function aggregateFilter(call: Expression, condition: Expression): Expression {
  const t = typeOf(condition);
  if (t.kind !== "boolean" && t.kind !== "null") {
    throw new AnalysisError(`[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN] Cannot resolve "${displayExpression(call)}" due to data type mismatch: Filter expression "${displayExpression(condition)}" of type "${typeName(t).toUpperCase()}" is not a boolean.`);
  }
  return castIfNeeded(condition, BooleanType);
}
