import { AnalysisError } from "../common/errors.ts";
import { nameParts } from "../common/identifiers.ts";
import { parseDataType } from "../types/ddl.ts";
import type { DataType } from "../types/data-types.ts";
import { displayExpression } from "../expr/display.ts";
import {
  Alias, Call, Case, Cast, ColumnRef, GetField, Literal, SortOrder, Star, WindowExpression, type Expression,
} from "../expr/expression.ts";
import type { WindowSpec } from "./window.ts";
import { withSparkForm } from "./spark-form.ts";

/** A value accepted where Spark accepts `Any` as a column: a Column or a literal. */
export type ColumnLike = Column | string | number | bigint | boolean | Date | null;

/** Wraps JS values as literals (strings are literals here, as in Spark's operators). */
export function toExpr(v: ColumnLike | unknown): Expression {
  if (v instanceof Column) return v.expr;
  return Literal.create(v, null);
}

/** Column names as Spark's string-or-Column overloads read them: a string is a column name. */
export function colExpr(v: Column | string): Expression {
  if (v instanceof Column) return v.expr;
  return v === "*" ? Star.create() : v.endsWith(".*") ? Star.create(v.slice(0, -2)) : ColumnRef.create(v);
}

function call(name: string, ...args: Expression[]): Column {
  return new Column(Call.create(name, args));
}

function predicate(name: string, ...args: Expression[]): Column<boolean | null> {
  return new Column(Call.create(name, args));
}

/**
 * The literals a comparison with a column of JS type `V` accepts: a string column
 * compares with strings, a number column with numbers, a Date column with Dates (or
 * timestamp strings). Columns of unknown type accept anything, and another Column is
 * always accepted (column-to-column comparisons are not checked).
 */
export type Operand<V> = (unknown extends V ? ColumnLike
  : [NonNullable<V>] extends [never] ? ColumnLike
    : [NonNullable<V>] extends [string] ? string
      : [NonNullable<V>] extends [number | bigint] ? number | bigint
        : [NonNullable<V>] extends [Date] ? Date | string
          : [NonNullable<V>] extends [boolean] ? boolean
            : ColumnLike) | Column<any, any> | null;

/**
 * A column expression (Spark's Column). Immutable: every method returns a new Column.
 * Nothing is resolved until the column is used in a DataFrame operation.
 *
 * For typed Datasets a Column also carries, for the type checker only, the JS type `V`
 * of its values and its column name `N` (`ds.col("bytes")` is `Column<number, "bytes">`,
 * `count("*").as("n")` is `Column<number, "n">`); an untyped Column is
 * `Column<unknown, string>`.
 */
export class Column<out V = unknown, out N extends string = string> {
  /** Phantom members: only the type checker sees them. */
  declare readonly __value?: V;
  declare readonly __name?: N;

  /** @internal Columns are made by `col`, `lit`, `expr` and the functions. */
  constructor(/** @internal */ readonly expr: Expression) {}

  // Arithmetic
  /** With an interval on one side (`expr("interval 5 seconds")`): a timestamp or date shifted by it. */
  plus(other: ColumnLike): Column { return call("add", this.expr, toExpr(other)); }
  minus(other: ColumnLike): Column { return call("subtract", this.expr, toExpr(other)); }
  multiply(other: ColumnLike): Column { return call("multiply", this.expr, toExpr(other)); }
  divide(other: ColumnLike): Column { return call("divide", this.expr, toExpr(other)); }
  mod(other: ColumnLike): Column { return call("mod", this.expr, toExpr(other)); }
  unary_minus(): Column { return call("negative", this.expr); }
  /** Spark's bitwise operators on integral columns: `&`, `|`, `^`. */
  bitwiseAND(other: ColumnLike): Column { return call("&", this.expr, toExpr(other)); }
  bitwiseOR(other: ColumnLike): Column { return call("|", this.expr, toExpr(other)); }
  bitwiseXOR(other: ColumnLike): Column { return call("^", this.expr, toExpr(other)); }

  // Comparison
  equalTo<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return predicate("equalto", this.expr, toExpr(other)); }
  eq<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return this.equalTo(other); }
  notEqual<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return predicate("notequalto", this.expr, toExpr(other)); }
  ne<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return this.notEqual(other); }
  eqNullSafe<W>(this: Column<W, string>, other: Operand<W>): Column<boolean> { return predicate("eqnullsafe", this.expr, toExpr(other)) as Column<boolean>; }
  gt<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return predicate("greaterthan", this.expr, toExpr(other)); }
  geq<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return predicate("greaterthanorequal", this.expr, toExpr(other)); }
  ge<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return this.geq(other); }
  lt<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return predicate("lessthan", this.expr, toExpr(other)); }
  leq<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return predicate("lessthanorequal", this.expr, toExpr(other)); }
  le<W>(this: Column<W, string>, other: Operand<W>): Column<boolean | null> { return this.leq(other); }
  between<W>(this: Column<W, string>, lower: Operand<W>, upper: Operand<W>): Column<boolean | null> { return this.geq(lower).and(this.leq(upper)); }

  // Boolean logic
  and(other: ColumnLike): Column<boolean | null> { return predicate("and", this.expr, toExpr(other)); }
  or(other: ColumnLike): Column<boolean | null> { return predicate("or", this.expr, toExpr(other)); }
  not(): Column<boolean | null> { return predicate("not", this.expr); }

  // Predicates
  isNull(): Column<boolean> { return predicate("isnull", this.expr) as Column<boolean>; }
  isNotNull(): Column<boolean> { return predicate("isnotnull", this.expr) as Column<boolean>; }
  isin<W>(this: Column<W, string>, ...values: (Operand<W> | readonly Operand<W>[])[]): Column<boolean | null> {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as ColumnLike[]) : (values as ColumnLike[]);
    return new Column(Call.create("in", [this.expr, ...list.map(toExpr)]));
  }
  like(pattern: string): Column { return call("like", this.expr, toExpr(pattern)); }
  rlike(pattern: string): Column { return call("rlike", this.expr, toExpr(pattern)); }
  /** Case-insensitive LIKE (Spark 3.3's Column.ilike). */
  ilike(pattern: string): Column { return call("ilike", this.expr, toExpr(pattern)); }
  /** True where the value is NaN (never null), as Spark's Column.isNaN. */
  isNaN(): Column<boolean> { return call("isnan", this.expr) as Column<boolean>; }
  startsWith(prefix: ColumnLike): Column { return call("startswith", this.expr, toExpr(prefix)); }
  endsWith(suffix: ColumnLike): Column { return call("endswith", this.expr, toExpr(suffix)); }
  contains(other: ColumnLike): Column { return call("contains", this.expr, toExpr(other)); }
  substr(start: number | Column, length: number | Column): Column {
    const args = [this.expr, toExpr(start), toExpr(length)];
    return new Column(withSparkForm(Call.create("substring", args), { kind: "call", name: "substr", args }));
  }

  // Types and names
  cast(to: string | DataType): Column {
    const type = typeof to === "string" ? parseDataType(to) : to;
    return new Column(Cast.create(this.expr, type));
  }
  astype(to: string | DataType): Column { return this.cast(to); }
  /** Spark 4's Column.try_cast: NULL where the ANSI cast would fail (NaN or 1e10 into INT, '1.5' into INT). */
  try_cast(to: string | DataType): Column {
    return new Column(Cast.tryCast(this.expr, typeof to === "string" ? parseDataType(to) : to));
  }
  /** `alias("k", "v")`: one name per column of a generator (`explode(map)`), as PySpark's `alias(*alias)` and Scala's `as(Seq(…))`. */
  alias<M extends string>(name: M, ...more: string[]): Column<V, M> {
    return new Column(more.length > 0 ? Alias.multi(this.expr, [name, ...more]) : Alias.create(this.expr, name));
  }
  as<M extends string>(name: M): Column<V, M> { return this.alias(name); }
  name<M extends string>(name: M): Column<V, M> { return this.alias(name); }

  // Structs
  getField(field: string): Column { return new Column(GetField.create(this.expr, field)); }
  /**
   * Spark 3.1's withField: the struct with field `name` set to `value` (replaced, or added last).
   * A dotted path (`a.b.c`, backquotes for a dot in a name) sets the field of a nested struct,
   * each struct on the way rebuilt, as Spark's UpdateFields.
   */
  withField(name: string, value: Column): Column {
    return new Column(withSparkForm(withFieldAt(this.expr, fieldPath(name), value.expr), { kind: "updateFields", struct: this.expr, fieldName: name, value: value.expr }));
  }
  /** Spark 3.1's dropFields: the struct without these fields (nested paths as withField's), dropped one after another (all of them: CANNOT_DROP_ALL_FIELDS). */
  dropFields(...names: string[]): Column {
    return new Column(names.reduce((e, name) => withSparkForm(dropFieldAt(e, fieldPath(name)), { kind: "updateFields", struct: e, fieldName: name, value: null }), this.expr));
  }
  getItem(key: ColumnLike): Column {
    // Spark's ExtractValue: a 0-based array element, a map's value for the key (never shifted), a struct field.
    const local = Call.create("subscript", [this.expr, toExpr(key)]);
    return new Column(withSparkForm(local, { kind: "extractValue", child: this.expr, extraction: toExpr(key) }));
  }

  // CASE WHEN
  when(condition: Column, value: ColumnLike): Column {
    if (this.expr.kind !== "Case" || this.expr.otherwise !== null) {
      throw new AnalysisError("when() can only be applied on a Column previously generated by when()");
    }
    return new Column(Case.create([...this.expr.branches, [condition.expr, toExpr(value)]], null));
  }
  otherwise(value: ColumnLike): Column {
    if (this.expr.kind !== "Case" || this.expr.otherwise !== null) {
      throw new AnalysisError("otherwise() can only be applied once on a Column previously generated by when()");
    }
    return new Column(Case.create(this.expr.branches, toExpr(value)));
  }

  // Sorting
  /** This aggregate or window function over a window (Spark's Column.over); no specification: the whole input as one window. */
  over(window?: WindowSpec): Column {
    return new Column(WindowExpression.create(this.expr, window?.partitionSpec ?? [], window?.orderSpec ?? [], window?.frame ?? null));
  }

  asc(): Column { return new Column(SortOrder.create(this.expr, true)); }
  asc_nulls_first(): Column { return new Column(SortOrder.create(this.expr, true, true)); }
  asc_nulls_last(): Column { return new Column(SortOrder.create(this.expr, true, false)); }
  desc(): Column { return new Column(SortOrder.create(this.expr, false)); }
  desc_nulls_first(): Column { return new Column(SortOrder.create(this.expr, false, true)); }
  desc_nulls_last(): Column { return new Column(SortOrder.create(this.expr, false, false)); }

  toString(): string {
    return displayExpression(this.expr);
  }
}

/** A withField/dropFields name as Spark parses it (a multi-part identifier); "" is the field named "". */
function fieldPath(name: string): string[] {
  return name === "" ? [""] : nameParts(name);
}

/** update_fields at the end of `path`, each struct on the way given its rebuilt field (Spark's withFieldHelper). */
function withFieldAt(struct: Expression, path: readonly string[], value: Expression): Expression {
  const [head, ...rest] = path;
  const inner = rest.length === 0 ? value : withFieldAt(GetField.create(struct, head!), rest, value);
  return Call.create("update_fields", [struct, Literal.create(head!, null), inner]);
}

/** drop_fields at the end of `path`, each struct on the way given its rebuilt field (Spark's dropFieldHelper). */
function dropFieldAt(struct: Expression, path: readonly string[]): Expression {
  const [head, ...rest] = path;
  if (rest.length === 0) return Call.create("drop_fields", [struct, Literal.create(head!, null)]);
  return Call.create("update_fields", [struct, Literal.create(head!, null), dropFieldAt(GetField.create(struct, head!), rest)]);
}
