import { AnalysisError } from "../common/errors.ts";
import { sameName } from "../common/identifiers.ts";
import { ColumnRef, transformUp, type Expression } from "../expr/expression.ts";
import type { Join, LogicalPlan, OutputColumn, Project } from "./logical-plan.ts";

/**
 * `_metadata` through joins, as Spark's Join.metadataOutput: a join passes up its sides'
 * hidden metadata columns (the left side's only for semi and anti joins), and the projection
 * of a USING join passes them on (Spark's hidden output of that Project). A name that could be
 * either side's `_metadata` is ambiguous unless qualified (`a._metadata.file_name`).
 */

/** Exposes `_metadata` below a plan (file-metadata-columns.ts): the plan with it as its last column, or null. */
export type ExposeMetadata = (input: LogicalPlan, qualifier: string | null) => LogicalPlan | null;

/** The projections USING joins put over their join. */
const usingJoinProjections = new WeakSet<LogicalPlan>();

export function markUsingJoinProjection(plan: LogicalPlan): LogicalPlan {
  usingJoinProjections.add(plan);
  return plan;
}

export function isUsingJoinProjection(plan: LogicalPlan): plan is Project {
  return plan.kind === "Project" && usingJoinProjections.has(plan);
}

function hasQualifier(plan: LogicalPlan, qualifier: string): boolean {
  return plan.output.some((c) => (c.qualifier !== null && sameName(c.qualifier, qualifier)) || (c.alsoQualifiedBy ?? []).some((q) => sameName(q, qualifier)));
}

function refTo(c: OutputColumn, index: number): ColumnRef {
  return ColumnRef.bound(c.name, index, c.dataType, c.nullable, c.qualifier);
}

function project(input: LogicalPlan, exprs: readonly Expression[], output: readonly OutputColumn[]): Project {
  return Object.freeze({ kind: "Project", input, exprs, output, isStreaming: input.isStreaming }) satisfies Project;
}

/** The join with the `_metadata` of the side that has one (or the side `qualifier` names) as its last column. */
export function exposeThroughJoin(join: Join, qualifier: string | null, expose: ExposeMetadata): LogicalPlan | null {
  const semi = join.joinType === "left_semi" || join.joinType === "left_anti";
  const wanted = (side: LogicalPlan): boolean => qualifier === null || hasQualifier(side, qualifier);
  const left = wanted(join.left) ? expose(join.left, qualifier) : null;
  const right = semi || !wanted(join.right) ? null : expose(join.right, qualifier);
  if (left !== null && right !== null) {
    throw new AnalysisError("[AMBIGUOUS_REFERENCE] Reference `_metadata` is ambiguous: both sides of the join read files. Qualify it with the side's name or alias, e.g. `a`.`_metadata`.");
  }
  if (right !== null) {
    const added = right.output[right.output.length - 1]!;
    const nullable = join.joinType === "left_outer" || join.joinType === "full_outer";
    return Object.freeze({ ...join, right, output: [...join.output, nullable ? { ...added, nullable } : added] });
  }
  if (left === null) return null;
  const w = join.left.output.length;
  const added = left.output[left.output.length - 1]!;
  const column = join.joinType === "right_outer" || join.joinType === "full_outer" ? { ...added, nullable: true } : added;
  // The left side grew by one column: the condition's right-side references move up by one.
  const condition = join.condition === null ? null : transformUp(join.condition, (e) => (e.kind === "ColumnRef" && e.index >= w ? Object.freeze({ ...e, index: e.index + 1 }) : e));
  if (semi) return Object.freeze({ ...join, left, condition, output: [...join.output, column] });
  const joined: Join = Object.freeze({ ...join, left, condition, output: [...join.output.slice(0, w), column, ...join.output.slice(w)] });
  // Back to the join's own column order, with `_metadata` last, for the nodes above.
  const exprs = [...join.output.map((c, i) => refTo(joined.output[i < w ? i : i + 1]!, i < w ? i : i + 1)), refTo(column, w)];
  return project(joined, exprs, [...join.output, column]);
}

/** A USING join's projection over the join exposed below it, passing `_metadata` on as its last column. */
export function exposeThroughUsingJoin(using: Project, qualifier: string | null, expose: ExposeMetadata): LogicalPlan | null {
  if (using.input.kind !== "Join") return null;
  const joined = exposeThroughJoin(using.input, qualifier, expose);
  if (joined === null) return null;
  const index = joined.output.length - 1;
  const column = joined.output[index]!;
  return project(joined, [...using.exprs, refTo(column, index)], [...using.output, column]);
}
