import type { Row } from "../../columnar/values.ts";
import type { Simplify } from "../../types/schema-builder.ts";
import type { Column } from "../column.ts";

/**
 * Type-level row algebra of the typed Dataset: which column names a row type has, and
 * the row type a projection, grouping or aggregation produces. `Row` (a DataFrame's row)
 * is untyped: every name is accepted and every result is `Row` again.
 */

/** True for an untyped row (`Row`, any string key), false for a typed one. */
export type IsUntyped<T> = string extends keyof T ? true : false;

/** The column names of T: its literal keys, or any string when T is untyped. */
export type ColumnName<T> = IsUntyped<T> extends true ? string : keyof T & string;

/** A column argument: a name of T, or a Column (typed by its `V`, named by its `N`). */
export type ColumnArg<T> = ColumnName<T> | Column<any, any>;

/** The value type of column `N` of T. */
export type ValueAt<T, N> = N extends keyof T ? T[N] : unknown;

/** The row one column argument contributes: `{ name: value }`, all of T for "*", or Row when its name is unknown. */
type ArgRow<T, A> =
  A extends "*" ? T
    : A extends string ? (A extends keyof T ? { [P in A]: T[A] } : Row)
      : A extends Column<infer V, infer N> ? (string extends N ? Row : { [P in N]: V })
        : Row;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * The row type of `select(...args)` over T: each argument's row, merged; Row when T is
 * untyped or when an argument's name is not known to the type checker (an unaliased
 * expression such as `upper(col("a"))`: give it a name with `.as("…")`).
 */
export type Projected<T, A extends readonly unknown[]> =
  IsUntyped<T> extends true ? Row
    : true extends { [I in keyof A]: IsUntyped<ArgRow<T, A[I]>> }[number] ? Row
      : Simplify<UnionToIntersection<{ [I in keyof A]: ArgRow<T, A[I]> }[number]>>;

/** groupBy keys K plus aggregate columns A. */
export type Aggregated<K, A extends readonly unknown[]> =
  IsUntyped<K> extends true ? Row
    : Projected<{}, A> extends infer P ? (IsUntyped<P> extends true ? Row : Simplify<K & P>) : never;

/** T with column N (of type V) added or replaced. */
export type WithColumn<T, N extends string, V> = IsUntyped<T> extends true ? Row : Simplify<Omit<T, N> & { [P in N]: V }>;

/** T with column E renamed to M. */
export type Renamed<T, E, M extends string> =
  IsUntyped<T> extends true ? Row : Simplify<Omit<T, E & keyof T> & { [P in M]: ValueAt<T, E> }>;

/** T without the columns named by C. */
export type Dropped<T, C extends readonly unknown[]> =
  IsUntyped<T> extends true ? Row
    : Simplify<Omit<T, { [I in keyof C]: C[I] extends string ? C[I] : C[I] extends Column<any, infer N> ? N : never }[number]>>;

/** What select/groupBy accept: for typed rows, names of T (checked) or Columns; for Row, anything as before. */
export type SelectArg<T> = IsUntyped<T> extends true ? Column<any, any> | string | readonly (Column<any, any> | string)[] : ColumnArg<T> | "*";
