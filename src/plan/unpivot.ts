import { AnalysisError } from "../common/errors.ts";
import { NullType, StringType, typeName, type DataType } from "../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../expr/coercion.ts";
import { displayExpression } from "../expr/display.ts";
import { Alias, Call, ColumnRef, Literal, referencedColumns, type Expression } from "../expr/expression.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { generate } from "./generate.ts";
import type { LogicalPlan } from "./logical-plan.ts";
import { bindPlanColumns } from "./plan-column-binding.ts";
import { filter, project } from "./plan-builder.ts";

/** One row of the unpivoted output per input row and value set: the set's name and its values. */
export interface UnpivotValueSet {
  readonly columns: readonly Expression[];
  /** The value of the name column for this set. */
  readonly name: string;
}

export interface UnpivotSpec {
  /** The columns kept as they are; null: every input column no value set reads (SQL's UNPIVOT). */
  readonly ids: readonly Expression[] | null;
  readonly values: readonly UnpivotValueSet[];
  /** The column that says which set a row comes from (`FOR name`). */
  readonly variableColumnName: string;
  /** The value columns (`val`, or `(v1, v2)` when each set has several). */
  readonly valueColumnNames: readonly string[];
  /** INCLUDE NULLS keeps rows whose values are all null; EXCLUDE NULLS (SQL's default) drops them. */
  readonly includeNulls: boolean;
}

const ARRAY_COLUMN = "__unpivot_sets";

/**
 * The type one value column of an unpivot gathers its inputs into: their least common type
 * without string promotion (Spark's UnpivotCoercion: an INT and a STRING column do not mix).
 */
export function unpivotValueType(inputs: readonly { readonly type: DataType; readonly text: string }[]): DataType {
  const common = inputs.reduce<DataType | null>((t, u) => (t === null ? null : widerType(t, u.type)), NullType);
  if (common !== null) return common;
  const listed = inputs.map((c) => `"${typeName(c.type).toUpperCase()}" (${c.text})`).join(", ");
  throw new AnalysisError(`[UNPIVOT_VALUE_DATA_TYPE_MISMATCH] Unpivot value columns must share a least common type, some types do not: [${listed}]. SQLSTATE: 42K09`);
}

/**
 * Spark's Unpivot (UNPIVOT, Dataset.unpivot / melt): the id columns, then the name column,
 * then the value columns, each cast to the least common type of what it gathers. Planned as
 * an array of one struct per value set, generated row by row (inline), so it runs on a stream
 * as on a table, in Spark's row order (each input row's sets in the order written).
 */
export function unpivot(input: LogicalPlan, spec: UnpivotSpec): LogicalPlan {
  if (spec.values.length === 0) {
    throw new AnalysisError("[UNPIVOT_REQUIRES_VALUE_COLUMNS] At least one value column needs to be specified for UNPIVOT, all columns specified as ids. SQLSTATE: 42K0A");
  }
  const resolve = (e: Expression): Expression => resolveExpression(bindPlanColumns(e, input), input.output);
  const sets = spec.values.map((set) => ({ name: set.name, columns: set.columns.map(resolve) }));
  const width = spec.valueColumnNames.length;
  if (sets.some((s) => s.columns.length !== width)) {
    throw new AnalysisError(`[UNPIVOT_VALUE_SIZE_MISMATCH] All unpivot value columns must have the same size as there are value column names (${width}). SQLSTATE: 428C4`);
  }
  const types = spec.valueColumnNames.map((_, k) => {
    const column = sets.map((s) => s.columns[k]!);
    return unpivotValueType(column.map((c) => ({ type: typeOf(c), text: displayExpression(c) })));
  });
  const read = new Set(sets.flatMap((s) => s.columns.flatMap((c) => [...referencedColumns(c)])));
  const ids = spec.ids === null
    ? input.output.flatMap((c, i) => (read.has(i) ? [] : [ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)]))
    : spec.ids.map(resolve);
  const text = (s: string): Expression => Literal.create(s, StringType);
  const structs = sets.map((s) => Call.create("named_struct", [
    text(spec.variableColumnName), text(s.name),
    ...s.columns.flatMap((c, k) => [text(spec.valueColumnNames[k]!), castIfNeeded(c, types[k]!)]),
  ]));
  const withSets = project(input, [...ids, Alias.create(Call.create("array", structs), ARRAY_COLUMN)]);
  const setsColumn = withSets.output[ids.length]!;
  const generated = generate(withSets, Call.create("inline", [ColumnRef.bound(setsColumn.name, ids.length, setsColumn.dataType, setsColumn.nullable)]), {
    names: [spec.variableColumnName, ...spec.valueColumnNames],
  });
  const bound = (i: number): ColumnRef => {
    const c = generated.output[i]!;
    return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
  };
  const kept = [...ids.map((_, i) => bound(i)), ...[spec.variableColumnName, ...spec.valueColumnNames].map((_, k) => bound(ids.length + 1 + k))];
  const unpivoted = project(generated, kept);
  if (spec.includeNulls) return unpivoted;
  const values = spec.valueColumnNames.map((_, k) => {
    const c = unpivoted.output[ids.length + 1 + k]!;
    return ColumnRef.bound(c.name, ids.length + 1 + k, c.dataType, c.nullable, c.qualifier);
  });
  const allNull = values.map((v) => Call.create("isnull", [v])).reduce((a, b) => Call.create("and", [a, b]));
  return filter(unpivoted, Call.create("not", [allNull]));
}
