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

/**
 * Which `_metadata` a query names: unqualified (null), one side's (`a`), or several sides'
 * (`a._metadata…` and `b._metadata…` in one query: each side exposes its own).
 */
export type MetadataSides = string | null | readonly string[];

/** Exposes `_metadata` below a plan (file-metadata-columns.ts): the plan with it as its last column(s), or null. */
export type ExposeMetadata = (input: LogicalPlan, sides: MetadataSides) => LogicalPlan | null;

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

/**
 * The join with the `_metadata` of the side that has one (or the side(s) `sides` names) as its
 * last column(s): the left side's first, then the right side's.
 */
export function exposeThroughJoin(join: Join, sides: MetadataSides, expose: ExposeMetadata): LogicalPlan | null {
  const semi = join.joinType === "left_semi" || join.joinType === "left_anti";
  const several = typeof sides !== "string" && sides !== null;
  // What a side is asked for (undefined: nothing).
  const named = (side: LogicalPlan): MetadataSides | undefined => {
    if (sides === null) return null;
    const mine = (typeof sides === "string" ? [sides] : sides).filter((q) => hasQualifier(side, q));
    return mine.length === 0 ? undefined : mine.length === 1 ? mine[0]! : mine;
  };
  const leftSides = named(join.left), rightSides = named(join.right);
  const left = leftSides === undefined ? null : expose(join.left, leftSides);
  const right = semi || rightSides === undefined ? null : expose(join.right, rightSides);
  if (left !== null && right !== null && !several) {
    throw new AnalysisError("[AMBIGUOUS_REFERENCE] Reference `_metadata` is ambiguous: both sides of the join read files. Qualify it with the side's name or alias, e.g. `a`.`_metadata`.");
  }
  if (left === null && right === null) return null;
  const w = join.left.output.length;
  const leftAdded = left === null ? [] : left.output.slice(w);
  const rightAdded = right === null ? [] : right.output.slice(join.right.output.length);
  const leftNullable = join.joinType === "right_outer" || join.joinType === "full_outer";
  const rightNullable = join.joinType === "left_outer" || join.joinType === "full_outer";
  const added = [
    ...leftAdded.map((c) => (leftNullable ? { ...c, nullable: true } : c)),
    ...rightAdded.map((c) => (rightNullable ? { ...c, nullable: true } : c)),
  ];
  const shift = leftAdded.length;
  // The left side grew: the condition's right-side references move up.
  const condition = join.condition === null || shift === 0 ? join.condition
    : transformUp(join.condition, (e) => (e.kind === "ColumnRef" && e.index >= w ? Object.freeze({ ...e, index: e.index + shift }) : e));
  const newLeft = left ?? join.left, newRight = right ?? join.right;
  if (semi) return Object.freeze({ ...join, left: newLeft, condition, output: [...join.output, ...added] });
  const leftColumns = join.output.slice(0, w), rightColumns = join.output.slice(w);
  const joinedOutput = [...leftColumns, ...added.slice(0, shift), ...rightColumns, ...added.slice(shift)];
  const joined: Join = Object.freeze({ ...join, left: newLeft, right: newRight, condition, output: joinedOutput });
  if (shift === 0) return joined;
  // Back to the join's own column order, with the `_metadata` columns last, for the nodes above.
  const exprs = [
    ...join.output.map((c, i) => refTo(joinedOutput[i < w ? i : i + shift]!, i < w ? i : i + shift)),
    ...added.map((c, k) => (k < shift ? refTo(joinedOutput[w + k]!, w + k) : refTo(joinedOutput[joinedOutput.length - (added.length - k)]!, joinedOutput.length - (added.length - k)))),
  ];
  return project(joined, exprs, [...join.output, ...added]);
}

/** A USING join's projection over the join exposed below it, passing the `_metadata` columns on last. */
export function exposeThroughUsingJoin(using: Project, sides: MetadataSides, expose: ExposeMetadata): LogicalPlan | null {
  if (using.input.kind !== "Join") return null;
  const joined = exposeThroughJoin(using.input, sides, expose);
  if (joined === null) return null;
  const first = using.input.output.length;
  const added = joined.output.slice(first);
  return project(joined, [...using.exprs, ...added.map((c, k) => refTo(c, first + k))], [...using.output, ...added]);
}
