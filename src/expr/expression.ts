import type { DataType } from "../types/data-types.ts";

/**
 * Expression trees, shared by the DataFrame API, SQL and the optimizer. Nodes are
 * immutable; `dataType` is null until the analyzer resolves the node against an input
 * schema (resolve.ts), after which every node in the tree carries its type.
 */
export type Expression =
  | ColumnRef
  | Literal
  | Alias
  | Cast
  | Call
  | Case
  | GetField
  | AggregateCall
  | WindowTime
  | SessionWindow
  | Star
  | SortOrder
  | Subquery
  | WindowExpression;

interface Typed {
  readonly dataType: DataType | null;
}

/** A column of the input. `index` is -1 until resolved; `path` is the name as written ("window.start" → ["window","start"]). */
export interface ColumnRef extends Typed {
  readonly kind: "ColumnRef";
  readonly name: string;
  readonly qualifier: string | null;
  readonly index: number;
  readonly nullable: boolean;
  /**
   * The plan a DataFrame's `df.col(name)` was taken from (Spark's plan id on the column):
   * the name resolves against that plan's columns wherever they appear, so a join of two
   * frames with the same column names can tell them apart. Opaque here; the plan layer binds it.
   */
  readonly planOrigin?: object;
}

/** A constant; `value` in the internal representation (timestamps µs, dates days). */
export interface Literal extends Typed {
  readonly kind: "Literal";
  readonly value: unknown;
}

export interface Alias extends Typed {
  readonly kind: "Alias";
  readonly child: Expression;
  readonly name: string;
  /** `explode(m) AS (k, v)`: a generator's column names (Spark's MultiAlias); `name` is them joined. */
  readonly names?: readonly string[];
}

export interface Cast extends Typed {
  readonly kind: "Cast";
  readonly child: Expression;
  readonly to: DataType;
  /** Added by type coercion, not written by the user: column names do not show it (Spark's USER_SPECIFIED_CAST tag). */
  readonly implicit?: boolean;
  /** TRY_CAST (Spark's EvalMode.TRY): NULL where the ANSI cast would fail; absent for the plain (non-ANSI) cast. */
  readonly evalMode?: "try";
}

/** A scalar function or operator (`+`, `=`, `and`, `upper`, `date_trunc`…), looked up by name in the function registry. */
export interface Call extends Typed {
  readonly kind: "Call";
  readonly name: string;
  readonly args: readonly Expression[];
}

/** CASE WHEN … THEN … [ELSE …] END, and when/otherwise. */
export interface Case extends Typed {
  readonly kind: "Case";
  readonly branches: readonly (readonly [Expression, Expression])[];
  readonly otherwise: Expression | null;
}

/** `struct.field` */
export interface GetField extends Typed {
  readonly kind: "GetField";
  readonly child: Expression;
  readonly field: string;
}

/** count, sum, avg, min, max, first, last, approx_count_distinct… Only valid in aggregations. */
export interface AggregateCall extends Typed {
  readonly kind: "AggregateCall";
  readonly name: string;
  readonly args: readonly Expression[];
  readonly distinct: boolean;
  /** `FILTER (WHERE cond)`: only rows where cond is true are aggregated (the plan builder folds it into the arguments). */
  readonly filter?: Expression;
}

/**
 * `window(timeColumn, windowDuration[, slideDuration[, startTime]])`: event-time windows,
 * half-open [start, end), aligned to the epoch plus `startMicros`. Its value is the struct
 * {start, end}; a sliding window assigns each row to several windows (in aggregations).
 */
export interface WindowTime extends Typed {
  readonly kind: "WindowTime";
  readonly timeColumn: Expression;
  readonly sizeMicros: number;
  readonly slideMicros: number;
  readonly startMicros: number;
}

/**
 * `session_window(timeColumn, gapDuration)`: a row at time t opens the session [t, t + gap);
 * in an aggregation, sessions of one key that overlap (or touch) merge into one. The gap is
 * fixed (`gapMicros`) or read per row from `gap` (a duration string such as '5 seconds');
 * a row whose gap is null, zero or negative belongs to no session, as in Spark.
 */
export interface SessionWindow extends Typed {
  readonly kind: "SessionWindow";
  readonly timeColumn: Expression;
  /** The per-row gap; null when the gap is the constant `gapMicros`. */
  readonly gap: Expression | null;
  readonly gapMicros: number;
}

/** `*` or `t.*` in a projection; expanded by the analyzer. */
export interface Star extends Typed {
  readonly kind: "Star";
  readonly qualifier: string | null;
  /** Spark's UnresolvedRegex (df.colRegex("`a.*`")): only the columns whose whole name the regex matches, case-insensitively. */
  readonly pattern?: string;
}

/**
 * A subquery in an expression: `(SELECT …)` (scalar), `EXISTS (SELECT …)`, `x IN (SELECT …)`.
 * Never resolved or compiled: the SQL front end plans it as a join (semi, anti, or outer
 * with an aggregation) before the expression around it is resolved, as Spark's
 * RewritePredicateSubquery and RewriteCorrelatedScalarSubquery do. `query` is what the
 * front end needs to build the subquery's plan (it may refer to the outer query's columns).
 */
export interface Subquery extends Typed {
  readonly kind: "Subquery";
  readonly subqueryKind: "scalar" | "exists" | "in";
  readonly query: unknown;
  /** IN's left-hand side; empty for scalar and EXISTS. */
  readonly values: readonly Expression[];
}

export interface SortOrder extends Typed {
  readonly kind: "SortOrder";
  readonly child: Expression;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/**
 * A window frame (Spark's SpecifiedWindowFrame): ROWS counts rows from the current one,
 * RANGE compares the single ORDER BY value. Bounds are offsets from the current row
 * (negative: PRECEDING); -Infinity / +Infinity are UNBOUNDED PRECEDING / FOLLOWING, 0 is
 * CURRENT ROW (for RANGE: the current row's peers).
 */
export interface WindowFrame {
  readonly frameType: "rows" | "range";
  readonly lower: number;
  readonly upper: number;
  /**
   * RANGE bounds written as intervals: their type. Year-month bounds count months (the ORDER BY
   * value moves as Spark's DateAddYMInterval / TimestampAddYMInterval), day-time bounds µs.
   * Absent for numeric bounds.
   */
  readonly offsetType?: DataType;
}

/**
 * `fn OVER (PARTITION BY … ORDER BY … frame)`: `fn` is an AggregateCall or a Call of a
 * window function (row_number, rank, lag, nth_value…). `frame` is null until the analyzer
 * gives the specification its default frame (resolve.ts), as Spark's ResolveWindowFrame.
 */
export interface WindowExpression extends Typed {
  readonly kind: "WindowExpression";
  readonly fn: Expression;
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly SortOrder[];
  readonly frame: WindowFrame | null;
}

export const WindowExpression = {
  create(fn: Expression, partitionBy: readonly Expression[], orderBy: readonly SortOrder[], frame: WindowFrame | null, dataType: DataType | null = null): WindowExpression {
    return Object.freeze({ kind: "WindowExpression", fn, partitionBy, orderBy, frame, dataType });
  },
};

export function isWindowed(e: Expression): boolean {
  return anyNode(e, (x) => x.kind === "WindowExpression");
}

export const ColumnRef = {
  create(name: string, qualifier: string | null = null): ColumnRef {
    return Object.freeze({ kind: "ColumnRef", name, qualifier, index: -1, nullable: true, dataType: null });
  },
  /** `df.col(name)`: a column of the plan `origin`. */
  ofPlan(name: string, origin: object): ColumnRef {
    return Object.freeze({ kind: "ColumnRef", name, qualifier: null, index: -1, nullable: true, dataType: null, planOrigin: origin });
  },
  bound(name: string, index: number, dataType: DataType, nullable: boolean, qualifier: string | null = null): ColumnRef {
    return Object.freeze({ kind: "ColumnRef", name, qualifier, index, nullable, dataType });
  },
};

export const Literal = {
  create(value: unknown, dataType: DataType | null): Literal {
    return Object.freeze({ kind: "Literal", value, dataType });
  },
};

export const Alias = {
  create(child: Expression, name: string): Alias {
    return Object.freeze({ kind: "Alias", child, name, dataType: child.dataType });
  },
  /** `generator AS (a, b)`: names for each column a generator makes. */
  multi(child: Expression, names: readonly string[]): Alias {
    return Object.freeze({ kind: "Alias", child, name: names.join(", "), names: Object.freeze([...names]), dataType: child.dataType });
  },
};

export const Cast = {
  create(child: Expression, to: DataType, implicit = false): Cast {
    const dataType = child.dataType === null ? null : to;
    return Object.freeze(implicit ? { kind: "Cast", child, to, dataType, implicit } : { kind: "Cast", child, to, dataType });
  },
  /** TRY_CAST(child AS to). */
  tryCast(child: Expression, to: DataType): Cast {
    return Object.freeze({ kind: "Cast", child, to, dataType: child.dataType === null ? null : to, evalMode: "try" });
  },
};

export const Call = {
  create(name: string, args: readonly Expression[], dataType: DataType | null = null): Call {
    return Object.freeze({ kind: "Call", name: name.toLowerCase(), args, dataType });
  },
};

export const Case = {
  create(branches: readonly (readonly [Expression, Expression])[], otherwise: Expression | null, dataType: DataType | null = null): Case {
    return Object.freeze({ kind: "Case", branches, otherwise, dataType });
  },
};

export const GetField = {
  create(child: Expression, field: string, dataType: DataType | null = null): GetField {
    return Object.freeze({ kind: "GetField", child, field, dataType });
  },
};

export const AggregateCall = {
  create(name: string, args: readonly Expression[], distinct = false, dataType: DataType | null = null, filter?: Expression): AggregateCall {
    const call = { kind: "AggregateCall" as const, name: name.toLowerCase(), args, distinct, dataType };
    return Object.freeze(filter === undefined ? call : { ...call, filter });
  },
};

export const WindowTime = {
  create(timeColumn: Expression, sizeMicros: number, slideMicros: number, startMicros: number, dataType: DataType | null = null): WindowTime {
    return Object.freeze({ kind: "WindowTime", timeColumn, sizeMicros, slideMicros, startMicros, dataType });
  },
};

export const SessionWindow = {
  create(timeColumn: Expression, gap: Expression | null, gapMicros: number, dataType: DataType | null = null): SessionWindow {
    return Object.freeze({ kind: "SessionWindow", timeColumn, gap, gapMicros, dataType });
  },
};

export const Star = {
  create(qualifier: string | null = null): Star {
    return Object.freeze({ kind: "Star", qualifier, dataType: null });
  },
  regex(pattern: string, qualifier: string | null = null): Star {
    return Object.freeze({ kind: "Star", qualifier, pattern, dataType: null });
  },
};

export const Subquery = {
  create(subqueryKind: Subquery["subqueryKind"], query: unknown, values: readonly Expression[] = []): Subquery {
    return Object.freeze({ kind: "Subquery", subqueryKind, query, values, dataType: null });
  },
};

export const SortOrder = {
  create(child: Expression, ascending: boolean, nullsFirst?: boolean): SortOrder {
    // Spark: ascending sorts put nulls first, descending sorts put them last.
    return Object.freeze({ kind: "SortOrder", child, ascending, nullsFirst: nullsFirst ?? ascending, dataType: child.dataType });
  },
};

/** The direct children of a node. */
export function childrenOf(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case "ColumnRef": case "Literal": case "Star": return [];
    case "Alias": case "Cast": case "GetField": case "SortOrder": return [e.child];
    case "Call": return e.args;
    case "AggregateCall": return e.filter === undefined ? e.args : [...e.args, e.filter];
    case "Case": return [...e.branches.flat(), ...(e.otherwise ? [e.otherwise] : [])];
    case "WindowTime": return [e.timeColumn];
    case "SessionWindow": return e.gap === null ? [e.timeColumn] : [e.timeColumn, e.gap];
    case "Subquery": return e.values;
    case "WindowExpression": return [e.fn, ...e.partitionBy, ...e.orderBy];
  }
}

/** Rebuilds `e` with new children (same order as childrenOf); returns `e` itself when nothing changed. */
export function withChildren(e: Expression, next: readonly Expression[]): Expression {
  const old = childrenOf(e);
  if (old.length === next.length && old.every((c, i) => c === next[i])) return e;
  switch (e.kind) {
    case "ColumnRef": case "Literal": case "Star": return e;
    case "Alias": return Object.freeze({ ...e, child: next[0]! });
    case "Cast": return Object.freeze({ ...e, child: next[0]! });
    case "GetField": return Object.freeze({ ...e, child: next[0]! });
    case "SortOrder": return Object.freeze({ ...e, child: next[0]! });
    case "Call": return Object.freeze({ ...e, args: next });
    case "AggregateCall": return Object.freeze(e.filter === undefined ? { ...e, args: next } : { ...e, args: next.slice(0, -1), filter: next[next.length - 1]! });
    case "WindowTime": return Object.freeze({ ...e, timeColumn: next[0]! });
    case "SessionWindow": return Object.freeze({ ...e, timeColumn: next[0]!, gap: e.gap === null ? null : next[1]! });
    case "Subquery": return Object.freeze({ ...e, values: next });
    case "WindowExpression": {
      const p = e.partitionBy.length;
      return Object.freeze({ ...e, fn: next[0]!, partitionBy: next.slice(1, 1 + p), orderBy: next.slice(1 + p) as SortOrder[] });
    }
    case "Case": {
      const branches: [Expression, Expression][] = [];
      for (let i = 0; i < e.branches.length; i++) branches.push([next[2 * i]!, next[2 * i + 1]!]);
      return Object.freeze({ ...e, branches, otherwise: e.otherwise ? next[next.length - 1]! : null });
    }
  }
}

/** Bottom-up rewrite: `f` sees each node after its children were rewritten. */
export function transformUp(e: Expression, f: (e: Expression) => Expression): Expression {
  const kids = childrenOf(e);
  const rewritten = kids.length === 0 ? e : withChildren(e, kids.map((c) => transformUp(c, f)));
  return f(rewritten);
}

/** Top-down rewrite: when `f` returns a node, its children are not visited further. */
export function transformDown(e: Expression, f: (e: Expression) => Expression | undefined): Expression {
  const replaced = f(e);
  if (replaced !== undefined) return replaced;
  const kids = childrenOf(e);
  return kids.length === 0 ? e : withChildren(e, kids.map((c) => transformDown(c, f)));
}

export function anyNode(e: Expression, p: (e: Expression) => boolean): boolean {
  return p(e) || childrenOf(e).some((c) => anyNode(c, p));
}

export function collectNodes<T extends Expression>(e: Expression, p: (e: Expression) => e is T): T[] {
  const out: T[] = [];
  const walk = (x: Expression): void => {
    if (p(x)) out.push(x);
    childrenOf(x).forEach(walk);
  };
  walk(e);
  return out;
}

/** Input column indices an expression reads. */
export function referencedColumns(e: Expression): Set<number> {
  const out = new Set<number>();
  const walk = (x: Expression): void => {
    if (x.kind === "ColumnRef") out.add(x.index);
    childrenOf(x).forEach(walk);
  };
  walk(e);
  return out;
}

export function stripAlias(e: Expression): Expression {
  return e.kind === "Alias" ? e.child : e;
}

/** Whether `e` aggregates rows of a group: an aggregate over a window (`sum(x) OVER w`) does not, but one inside it may. */
export function isAggregate(e: Expression): boolean {
  if (e.kind === "AggregateCall") return true;
  if (e.kind === "WindowExpression") {
    const fnArgs = e.fn.kind === "AggregateCall" || e.fn.kind === "Call" ? e.fn.args : [e.fn];
    return [...fnArgs, ...e.partitionBy, ...e.orderBy].some(isAggregate);
  }
  return childrenOf(e).some(isAggregate);
}
