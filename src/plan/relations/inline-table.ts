import { AnalysisError } from "../../common/errors.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../../expr/coercion.ts";
import { compileExpression } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import { defaultEvalContext } from "../../expr/eval-context.ts";
import { anyNode, type Expression } from "../../expr/expression.ts";
import { resolveExpression } from "../../expr/resolve.ts";
import { NullType, StructType, type DataType } from "../../types/data-types.ts";
import type { LogicalPlan } from "../logical-plan.ts";
import { localRelation, subqueryAlias } from "../plan-builder.ts";

const INVALID = "[INVALID_INLINE_TABLE";
const ONE_ROW = new ColumnBatch(new StructType([]), [], 1);

/**
 * `VALUES (1, 'a'), (2, 'b') AS t(id, name)`: Spark's ResolveInlineTables. Every row has
 * as many values as the first (or as the column list); each column takes the wider type
 * of its values (no promotion to string: `(1), ('a')` is an error); the values are
 * evaluated once, when the query is analysed (in the session time zone), into a local relation. Columns are named
 * col1, col2, … unless the alias lists names.
 */
export function inlineTable(rows: readonly (readonly Expression[])[], alias: string | null, names: readonly string[] | null, timeZoneId = "UTC"): LogicalPlan {
  const width = names?.length ?? rows[0]!.length;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new AnalysisError(`${INVALID}.NUM_COLUMNS_MISMATCH] Invalid inline table. Inline table expected ${width} columns but found ${row.length} columns in row ${i}.`);
    }
  });
  const columnNames = names ?? Array.from({ length: width }, (_, i) => `col${i + 1}`);
  const resolved = rows.map((row) => row.map((e) => {
    if (anyNode(e, (x) => x.kind === "AggregateCall")) {
      throw new AnalysisError(`${INVALID}.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE] Invalid inline table. Cannot evaluate the expression "${displayExpression(e)}" in inline table definition.`);
    }
    return resolveExpression(e, []);
  }));
  const types = columnNames.map((name, c) => resolved.reduce<DataType>((t, row) => {
    const w = widerType(t, typeOf(row[c]!));
    if (w === null) throw new AnalysisError(`${INVALID}.INCOMPATIBLE_TYPES_IN_INLINE_TABLE] Invalid inline table. Found incompatible types in the column \`${name}\` for inline table.`);
    return w;
  }, NullType));
  // Evaluated in the session time zone, as Spark does (`timestamp'2020-01-01 10:00:00'` is a local time there).
  const context = { ...defaultEvalContext(), timeZoneId };
  const builders = types.map((t) => new VecBuilder(t, rows.length));
  const nullable = types.map(() => false);
  for (const row of resolved) {
    row.forEach((e, c) => {
      const value = valueAt(compileExpression(castIfNeeded(e, types[c]!))(ONE_ROW, context), 0);
      if (value === null) nullable[c] = true;
      builders[c]!.append(value);
    });
  }
  const schema = new StructType(columnNames.map((name, c) => ({ name, dataType: types[c]!, nullable: nullable[c]! })));
  const batch = new ColumnBatch(schema, builders.map((b) => b.finish()), rows.length);
  const plan = localRelation("LocalRelation", schema, () => [batch]);
  return alias === null ? plan : subqueryAlias(plan, alias);
}
