import { AnalysisError } from "../common/errors.ts";
import { typeOf } from "../expr/coercion.ts";
import { autoName, displayExpression } from "../expr/display.ts";
import { AggregateCall, Alias, Call, Case, Cast, ColumnRef, Literal, childrenOf, referencedColumns, transformDown, type Expression } from "../expr/expression.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { foldConstants } from "../optimizer/constant-folding.ts";
import { BooleanType, StringType, isNumeric, typeName, type DataType } from "../types/data-types.ts";
import type { LogicalPlan } from "./logical-plan.ts";
import { bindPlanColumns } from "./plan-column-binding.ts";
import * as build from "./plan-builder.ts";

/** What PIVOT asks for (Spark's Pivot node before ResolvePivot). */
export interface PivotSpec {
  /** The DataFrame's groupBy columns; null in SQL, where they are every input column the pivot and aggregates do not use. */
  readonly groupings: readonly Expression[] | null;
  readonly pivotColumn: Expression;
  /** Constant expressions, each maybe aliased (`'a' AS a`): the alias names its output columns. */
  readonly values: readonly Expression[];
  readonly aggregates: readonly Expression[];
}

/**
 * PIVOT as Spark's ResolvePivot rewrites it: one output column per (value, aggregate), named
 * `value` when there is one aggregate and `value_aggregate` otherwise. When every aggregate is
 * numeric or boolean (Spark's PivotFirst types) it aggregates twice — by (groups, pivot column),
 * then picks each value's result — so a group without a value is NULL even for count; otherwise
 * each aggregate's arguments become `if(pivot <=> value, arg, null)` in one aggregation.
 */
export function pivot(input: LogicalPlan, spec: PivotSpec): LogicalPlan {
  const pivotColumn = resolveExpression(bindPlanColumns(spec.pivotColumn, input), input.output);
  const pivotType = typeOf(pivotColumn);
  if (containsMap(pivotType)) {
    throw new AnalysisError(`[INCOMPARABLE_PIVOT_COLUMN] Invalid pivot column ${sqlName(pivotColumn)}. Pivot columns must be comparable.`);
  }
  const resolvedAggregates = spec.aggregates.map((a) => {
    const r = resolveExpression(bindPlanColumns(a, input), input.output, { allowAggregates: true });
    requireAggregate(r);
    return r;
  });
  const values = spec.values.map((v) => pivotValue(v, pivotType));
  const groupings = spec.groupings ?? implicitGroupings(input, pivotColumn, resolvedAggregates);
  const single = spec.aggregates.length === 1;
  const outputName = (value: PivotValue, aggregate: Expression): string =>
    single ? value.name : `${value.name}_${aggregate.kind === "Alias" ? aggregate.name : autoName(aggregate)}`;

  if (resolvedAggregates.every((a) => isPivotFirstType(typeOf(a)))) {
    // Phase one: one row per (groups, pivot value).
    const first = build.aggregate(input, [...groupings, Alias.create(spec.pivotColumn, "__pivot_col")],
      spec.aggregates.map((a, i) => Alias.create(a, `__pivot_agg_${i}`)));
    const groupCount = first.output.length - 1 - spec.aggregates.length;
    const ref = (i: number): Expression => {
      const c = first.output[i]!;
      return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
    };
    const pivotRef = ref(groupCount);
    // Phase two: per group, each value's row (at most one) gives its aggregates.
    const picks = values.flatMap((value) => spec.aggregates.map((aggregate, i) =>
      Alias.create(AggregateCall.create("first", [
        Case.create([[Call.create("eqnullsafe", [pivotRef, value.literal]), ref(groupCount + 1 + i)]], null),
        Literal.create(true, BooleanType),
      ]), outputName(value, aggregate))));
    return build.aggregate(first, Array.from({ length: groupCount }, (_, i) => ref(i)), picks);
  }
  const conditioned = values.flatMap((value) => spec.aggregates.map((aggregate) => {
    const when = (e: Expression): Expression => Case.create([[Call.create("eqnullsafe", [spec.pivotColumn, value.literal]), e]], null);
    const rewritten = transformDown(aggregate, (x) => {
      if (x.kind !== "AggregateCall") return undefined;
      // first/last ignore the other values' NULLs; percentile_approx keeps its constant arguments.
      if (x.name === "first" || x.name === "last") return AggregateCall.create(x.name, [when(x.args[0]!), Literal.create(true, BooleanType)], x.distinct, null, x.filter);
      const conditionedArgs = x.args.map((a, i) => (i === 0 || !isConstant(a) ? (a.kind === "Star" ? when(Literal.create(1, null)) : when(a)) : a));
      return AggregateCall.create(x.name, conditionedArgs, x.distinct, null, x.filter);
    });
    return Alias.create(rewritten.kind === "Alias" ? rewritten.child : rewritten, outputName(value, aggregate));
  }));
  return build.aggregate(input, groupings, conditioned);
}

interface PivotValue {
  /** The value cast to the pivot column's type. */
  readonly literal: Expression;
  /** Its alias, or the value as a string (`null` for NULL). */
  readonly name: string;
}

function pivotValue(v: Expression, pivotType: DataType): PivotValue {
  const alias = v.kind === "Alias" ? v.name : null;
  const written = v.kind === "Alias" ? v.child : v;
  const nonLiteral = (): AnalysisError => new AnalysisError(`[NON_LITERAL_PIVOT_VALUES] Literal expressions required for pivot values, found "${displayExpression(written)}".`);
  let folded: Expression;
  try {
    // Resolved against no columns: a column name here is no constant.
    folded = foldConstants(resolveExpression(written, []));
  } catch {
    throw nonLiteral();
  }
  if (folded.kind !== "Literal") throw nonLiteral();
  const valueType = typeOf(folded);
  let literal: Expression;
  try {
    literal = valueType.kind === pivotType.kind && typeName(valueType) === typeName(pivotType) ? folded : foldConstants(resolveExpression(Cast.create(folded, pivotType), []));
  } catch {
    throw new AnalysisError(`[PIVOT_VALUE_DATA_TYPE_MISMATCH] Invalid pivot value '${displayExpression(folded)}': value data type ${typeName(valueType)} does not match pivot column data type ${typeName(pivotType)}.`);
  }
  if (alias !== null) return { literal, name: alias };
  // Named by the value as written (Spark casts the unconverted value to a string).
  const text = (folded as Literal).value === null ? null : foldConstants(resolveExpression(Cast.create(folded, StringType), []));
  return { literal, name: text === null || text.kind !== "Literal" || text.value === null ? "null" : String(text.value) };
}

/** SQL's PIVOT groups by every input column that neither the pivot column nor an aggregate reads. */
function implicitGroupings(input: LogicalPlan, pivotColumn: Expression, aggregates: readonly Expression[]): Expression[] {
  const used = new Set([...referencedColumns(pivotColumn), ...aggregates.flatMap((a) => [...referencedColumns(a)])]);
  return input.output.flatMap((c, i) => (used.has(i) ? [] : [ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)]));
}

/** Spark's checkValidAggregateExpression: a column outside any aggregate function is refused. */
function requireAggregate(e: Expression): void {
  if (e.kind === "AggregateCall") return;
  if (e.kind === "ColumnRef") {
    throw new AnalysisError(`[_LEGACY_ERROR_TEMP_1006] Aggregate expression required for pivot, but '${e.qualifier === null ? e.name : `${e.qualifier}.${e.name}`}' did not appear in any aggregate function.`);
  }
  childrenOf(e).forEach(requireAggregate);
}

function isConstant(e: Expression): boolean {
  return e.kind === "Literal";
}

/** Maps are not comparable, nor anything holding one (Spark's RowOrdering.isOrderable). */
function containsMap(t: DataType): boolean {
  if (t.kind === "map") return true;
  if (t.kind === "struct") return t.fields.some((f) => containsMap(f.dataType));
  if (t.kind === "array") return containsMap(t.elementType);
  return false;
}

/** Spark's PivotFirst.supportsDataType: the numeric types and boolean. */
function isPivotFirstType(t: DataType): boolean {
  return isNumeric(t) || t.kind === "boolean";
}

function sqlName(e: Expression): string {
  return e.kind === "ColumnRef" ? `\`${e.name}\`` : displayExpression(e);
}
