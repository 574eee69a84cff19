import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { Alias, Call, ColumnRef, type Expression } from "../expr/expression.ts";
import type { JoinType, LogicalPlan, OutputColumn } from "./logical-plan.ts";

interface JoinShape {
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly joinType: JoinType;
}

/**
 * Where each output column of a join comes from, as an index into left.output ++
 * right.output: both sides' columns, or the left side's only for semi and anti joins.
 * (USING joins put a projection above the join: see usingJoinProjection.)
 */
export function joinOutputColumns(join: JoinShape): number[] {
  const leftWidth = join.left.output.length;
  const left = join.left.output.map((_, i) => i);
  if (join.joinType === "left_semi" || join.joinType === "left_anti") return left;
  return [...left, ...join.right.output.map((_, i) => leftWidth + i)];
}

/** One USING key: its column index on each side. */
export interface UsingKey {
  readonly name: string;
  readonly left: number;
  readonly right: number;
}

/** The USING columns' positions on both sides; Spark's error when a side lacks one. */
export function usingKeys(left: LogicalPlan, right: LogicalPlan, names: readonly string[]): UsingKey[] {
  return names.map((name) => {
    const find = (p: LogicalPlan, side: string): number => {
      const i = p.output.findIndex((c) => sameName(c.name, name));
      if (i < 0) {
        throw new AnalysisError(`[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column \`${name}\` cannot be resolved on the ${side} side of the join. The ${side}-side columns: [${p.output.map((c) => `\`${c.name}\``).join(", ")}].`);
      }
      return i;
    };
    return { name, left: find(left, "left"), right: find(right, "right") };
  });
}

/** NATURAL JOIN's keys: the left side's columns whose names the right side also has, in the left's order. */
export function naturalJoinColumns(left: LogicalPlan, right: LogicalPlan): string[] {
  return left.output.filter((c) => right.output.some((r) => sameName(r.name, c.name))).map((c) => c.name);
}

/**
 * The projection over a USING (or NATURAL, or DataFrame `join(other, ["k"])`) join, as
 * Spark's commonNaturalJoinProcessing: each key once and first, then the other left
 * columns, then the other right columns (none for semi and anti joins). A key is the
 * left side's column in inner, left outer, semi and anti joins, the right side's in a
 * right outer join, and `coalesce(left.k, right.k)` in a full outer join, so a row found
 * only on the right still has its key. Expressions are over left.output ++ right.output.
 */
export function usingJoinProjection(join: JoinShape, keys: readonly UsingKey[]): Expression[] {
  const w = join.left.output.length;
  const ref = (c: OutputColumn, index: number): ColumnRef => ColumnRef.bound(c.name, index, c.dataType, c.nullable, c.qualifier);
  const leftRef = (i: number): ColumnRef => ref(join.left.output[i]!, i);
  const rightRef = (i: number): ColumnRef => ref(join.right.output[i]!, w + i);
  const keyExprs = keys.map((k): Expression => {
    switch (join.joinType) {
      case "right_outer": return rightRef(k.right);
      case "full_outer": return Alias.create(Call.create("coalesce", [leftRef(k.left), rightRef(k.right)]), join.left.output[k.left]!.name);
      default: return leftRef(k.left);
    }
  });
  const leftRest = join.left.output.map((_, i) => i).filter((i) => !keys.some((k) => k.left === i)).map(leftRef);
  if (join.joinType === "left_semi" || join.joinType === "left_anti") return [...keyExprs, ...leftRest];
  const rightRest = join.right.output.map((_, i) => i).filter((i) => !keys.some((k) => k.right === i)).map(rightRef);
  return [...keyExprs, ...leftRest, ...rightRest];
}

/**
 * The output columns of that projection: a key column still answers to both sides'
 * qualifiers (`t1.k`, `t2.k`), as Spark keeps the other side's key resolvable.
 */
export function usingJoinOutput(join: JoinShape, keys: readonly UsingKey[], projected: readonly OutputColumn[]): OutputColumn[] {
  return projected.map((c, i) => {
    const k = keys[i];
    if (k === undefined) return c;
    const quals = [join.left.output[k.left]!.qualifier, join.right.output[k.right]!.qualifier].filter((q): q is string => q !== null);
    return { ...c, qualifier: join.joinType === "full_outer" ? null : c.qualifier, alsoQualifiedBy: quals };
  });
}
