import { AnalysisError } from "../../common/errors.ts";
import { sameName } from "../../common/identifiers.ts";
import { Alias, Cast, ColumnRef, type Expression } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { sameType, typeName, type DataType, type StructType } from "../../types/data-types.ts";

/** Widening casts `as()` applies on its own (Spark's Upcast): no value changes. */
function canUpcast(from: DataType, to: DataType): boolean {
  const widening: Record<string, readonly string[]> = { int: ["long", "double"], long: ["double"], date: ["timestamp"], null: [to.kind] };
  return widening[from.kind]?.includes(to.kind) ?? false;
}

/**
 * `ds.as(schema)`: checks now that the plan has every column of `schema` (by name, case
 * insensitive) with the same type or one that widens to it, and selects those columns in
 * the schema's order — so the rows a typed Dataset hands out hold exactly its fields.
 * The error names every mismatched column.
 */
export function viewAs(plan: LogicalPlan, schema: StructType): LogicalPlan {
  const problems: string[] = [];
  const exprs: Expression[] = [];
  for (const f of schema.fields) {
    const i = plan.output.findIndex((c) => sameName(c.name, f.name));
    const c = plan.output[i];
    if (c === undefined) {
      problems.push(`${f.name} (${typeName(f.dataType)}) is missing`);
      continue;
    }
    const ref = ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
    if (sameType(c.dataType, f.dataType)) exprs.push(c.name === f.name ? ref : Alias.create(ref, f.name));
    else if (canUpcast(c.dataType, f.dataType)) exprs.push(Alias.create(Cast.create(ref, f.dataType), f.name));
    else problems.push(`${f.name} is ${typeName(c.dataType)}, expected ${typeName(f.dataType)}`);
  }
  if (problems.length > 0) {
    throw new AnalysisError(`Cannot view the Dataset [${plan.output.map((c) => `${c.name}: ${typeName(c.dataType)}`).join(", ")}] as ${schema.simpleString()}: ${problems.join("; ")}`);
  }
  const identity = exprs.length === plan.output.length && exprs.every((e, i) => e.kind === "ColumnRef" && e.index === i);
  return identity ? plan : build.project(plan, exprs);
}
