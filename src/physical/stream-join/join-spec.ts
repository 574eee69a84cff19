import type { Expression } from "../../expr/expression.ts";
import { eventTimeDelayOf } from "../../plan/plan-builder.ts";
import type { Join, OutputColumn } from "../../plan/logical-plan.ts";
import { shiftColumns } from "../../plan/rewrite-columns.ts";
import { conjunction, conjuncts, equiJoinKeys, sideOf } from "../../plan/streaming-join/equi-join-keys.ts";
import { stateValueWatermark } from "../../plan/streaming-join/state-watermark.ts";

export type JoinSide = "left" | "right";

/** What a side of a stream–stream join needs to know (Spark's OneSideHashJoiner's arguments). */
export interface SideSpec {
  readonly side: JoinSide;
  readonly width: number;
  readonly keys: readonly Expression[];
  /** Conjuncts of the condition over this side alone, over its own columns (Spark's preJoinFilter). */
  readonly preJoinFilter: Expression | null;
  /** The side's watermarked column (late rows are dropped by it), or -1. */
  readonly watermarkColumn: number;
  /** Whether unmatched rows of this side are emitted with nulls (its outer side). */
  readonly outer: boolean;
  /** How the side's state is evicted: by the join key's event time, by a value's state watermark, or never. */
  readonly eviction: { readonly kind: "key"; readonly keyIndex: number } | { readonly kind: "value"; readonly column: number } | { readonly kind: "none" };
}

export interface StreamJoinSpec {
  readonly left: SideSpec;
  readonly right: SideSpec;
  /** Conjuncts over both sides (or none), over left ++ right columns (Spark's postJoinFilter). */
  readonly postJoinFilter: Expression | null;
  /** The whole condition (the state value watermarks are derived from it). */
  readonly condition: Expression | null;
  readonly columns: readonly OutputColumn[];
}

const watermarkColumnOf = (output: readonly OutputColumn[]): number => output.findIndex((c) => c.eventTimeDelayMicros !== undefined);

/**
 * Splits a stream–stream join as Spark's StreamingSymmetricHashJoinExec does: equi-join
 * keys, one-side filters applied before a row is buffered, the rest after pairing; and how
 * each side's state is evicted — by a watermarked join key (both sides), else by the state
 * watermark the condition's range predicates give a side with a watermarked column.
 */
export function streamJoinSpec(join: Join): StreamJoinSpec {
  const leftWidth = join.left.output.length;
  const { leftKeys, rightKeys, residual } = equiJoinKeys(join.condition, leftWidth);
  const pre: Record<JoinSide, Expression[]> = { left: [], right: [] };
  const post: Expression[] = [];
  for (const c of conjuncts(residual)) {
    const s = sideOf(c, leftWidth);
    if (s === "left") pre.left.push(c);
    else if (s === "right") pre.right.push(shiftColumns(c, -leftWidth));
    else post.push(c);
  }
  let keyIndex = leftKeys.findIndex((k) => eventTimeDelayOf(k, join.left) !== undefined);
  if (keyIndex < 0) keyIndex = rightKeys.findIndex((k) => eventTimeDelayOf(k, join.right) !== undefined);
  const columns = [...join.left.output, ...join.right.output];
  const outerSide = (side: JoinSide): boolean => join.joinType === "full_outer"
    || (side === "left" ? join.joinType === "left_outer" : join.joinType === "right_outer");
  const side = (s: JoinSide): SideSpec => {
    const output = s === "left" ? join.left.output : join.right.output;
    const watermarkColumn = watermarkColumnOf(output);
    const boundedByCondition = watermarkColumn >= 0 && stateValueWatermark(join.condition, {
      columns, isStateSide: (i) => (s === "left" ? i < leftWidth : i >= leftWidth),
    }, 0) !== null;
    const eviction: SideSpec["eviction"] = keyIndex >= 0 ? { kind: "key", keyIndex }
      : boundedByCondition ? { kind: "value", column: watermarkColumn }
        : { kind: "none" };
    return {
      side: s, width: output.length, keys: s === "left" ? leftKeys : rightKeys, preJoinFilter: conjunction(pre[s]),
      watermarkColumn, outer: outerSide(s), eviction,
    };
  };
  return { left: side("left"), right: side("right"), postJoinFilter: conjunction(post), condition: join.condition, columns };
}

/** The event time at or below which a side's buffered rows can never join again, for this batch's watermark. */
export function stateThreshold(spec: StreamJoinSpec, side: JoinSide, watermarkMicros: number): number | null {
  const s = spec[side];
  switch (s.eviction.kind) {
    case "none": return null;
    case "key": return watermarkMicros;
    case "value": {
      const leftWidth = spec.left.width;
      return stateValueWatermark(spec.condition, {
        columns: spec.columns, isStateSide: (i) => (side === "left" ? i < leftWidth : i >= leftWidth),
      }, watermarkMicros);
    }
  }
}
