import { AnalysisError } from "../common/errors.ts";
import { SortOrder, type Expression, type WindowFrame } from "../expr/expression.ts";
import { colExpr } from "./column.ts";
import type { ColOrName } from "./functions.ts";


/** Frame boundaries beyond these (Spark's Long.MinValue / Long.MaxValue) are unbounded. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

function boundary(v: number | bigint): number {
  const n = Number(v);
  if (n <= -UNBOUNDED) return -Infinity;
  if (n >= UNBOUNDED) return Infinity;
  if (!Number.isFinite(n)) throw new AnalysisError(`window frame boundary must be a number, got ${v}`);
  return n;
}

/**
 * Spark's WindowSpec: PARTITION BY, ORDER BY and frame of a window, built with
 * `Window.partitionBy(…).orderBy(…).rowsBetween(…)` and used with `col.over(spec)`.
 * Immutable: each method returns a new specification.
 */
export class WindowSpec {
  /** @internal */
  readonly partitionSpec: readonly Expression[];
  /** @internal */
  readonly orderSpec: readonly SortOrder[];
  /** @internal */
  readonly frame: WindowFrame | null;

  /** @internal Made by `Window.partitionBy(…)`, `Window.orderBy(…)`… */
  constructor(partitionSpec: readonly Expression[], orderSpec: readonly SortOrder[], frame: WindowFrame | null) {
    this.partitionSpec = partitionSpec;
    this.orderSpec = orderSpec;
    this.frame = frame;
  }

  partitionBy(...cols: ColOrName[]): WindowSpec {
    return new WindowSpec(cols.map(colExpr), this.orderSpec, this.frame);
  }

  orderBy(...cols: ColOrName[]): WindowSpec {
    return new WindowSpec(this.partitionSpec, cols.map((c) => {
      const e = colExpr(c);
      return e.kind === "SortOrder" ? e : SortOrder.create(e, true);
    }), this.frame);
  }

  /** Rows from `start` to `end` relative to the current row (negative: before it); Window.unboundedPreceding… for no bound. */
  rowsBetween(start: number | bigint, end: number | bigint): WindowSpec {
    return new WindowSpec(this.partitionSpec, this.orderSpec, { frameType: "rows", lower: boundary(start), upper: boundary(end) });
  }

  /** Rows whose ORDER BY value lies within [value + start, value + end]. */
  rangeBetween(start: number | bigint, end: number | bigint): WindowSpec {
    return new WindowSpec(this.partitionSpec, this.orderSpec, { frameType: "range", lower: boundary(start), upper: boundary(end) });
  }
}

/** Spark's `Window` object: where window specifications start. */
export const Window = {
  unboundedPreceding: -Infinity,
  unboundedFollowing: Infinity,
  currentRow: 0,
  partitionBy(...cols: ColOrName[]): WindowSpec { return new WindowSpec([], [], null).partitionBy(...cols); },
  orderBy(...cols: ColOrName[]): WindowSpec { return new WindowSpec([], [], null).orderBy(...cols); },
  rowsBetween(start: number | bigint, end: number | bigint): WindowSpec { return new WindowSpec([], [], null).rowsBetween(start, end); },
  rangeBetween(start: number | bigint, end: number | bigint): WindowSpec { return new WindowSpec([], [], null).rangeBetween(start, end); },
} as const;
