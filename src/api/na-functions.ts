import { AnalysisError } from "../common/errors.ts";
import type { Dataset, Row } from "./dataset.ts";
import type { SessionMode } from "./session-mode.ts";

/** A replacement value of `na.fill` / `fillna`: Spark's Int, Long, Double, String or Boolean. */
export type FillValue = number | bigint | string | boolean;

/**
 * What `na.fill` asks for: one value for every column of its kind (numbers for numeric
 * columns, strings for string columns, booleans for boolean ones; `subset` narrows the
 * columns, and a listed column of another kind is left alone, as Spark does), or a value
 * per named column, cast to the column's type.
 */
export type NaFill =
  | { readonly kind: "value"; readonly value: FillValue; readonly subset: readonly string[] | null }
  | { readonly kind: "byColumn"; readonly values: ReadonlyMap<string, FillValue> };

/**
 * What `na.drop` asks for: rows with fewer than `minNonNulls` non-null values (NaN counts
 * as null) among `subset` (every column when null) are dropped; null: "any" (all must be non-null).
 */
export interface NaDrop {
  readonly minNonNulls: number | null;
  readonly subset: readonly string[] | null;
}

/**
 * What `na.replace` asks for (Spark's DataFrameNaFunctions.replace): in the columns `cols`
 * (every column when empty) of the keys' kind (numbers: numeric columns, compared as
 * doubles; strings; booleans), each value equal to a key becomes its replacement, cast to
 * the column's type (null allowed).
 */
export interface NaReplace {
  readonly cols: readonly string[];
  readonly replacements: readonly (readonly [FillValue, FillValue | null])[];
}

/** The backends build the plans; the argument forms of Spark's Scala and Python APIs are read here. */
export interface NaBackend<M extends SessionMode> {
  naFill(fill: NaFill): Dataset<Row, M>;
  naDrop(drop: NaDrop): Dataset<Row, M>;
  naReplace(replace: NaReplace): Dataset<Row, M>;
}

/** Spark's `df.na`: replacing and dropping nulls (and NaN in floating-point columns). */
export class DataFrameNaFunctions<M extends SessionMode = "local"> {
  constructor(readonly df: NaBackend<M>) {}

  /**
   * `fill(0)`, `fill("unknown", ["city"])`, `fill({ age: 0, city: "?" })`: replaces null
   * (and NaN in float and double columns) with the value.
   */
  fill(value: FillValue | Readonly<Record<string, FillValue>> | ReadonlyMap<string, FillValue>, subset?: string | readonly string[]): Dataset<Row, M> {
    if (value instanceof Map || (typeof value === "object" && value !== null)) {
      if (subset !== undefined) throw new AnalysisError("na.fill: a map of values names its columns itself; give no subset");
      const values = value instanceof Map ? new Map(value) : new Map(Object.entries(value as Record<string, FillValue>));
      for (const [name, v] of values) checkValue(v, `na.fill: the value for column ${name}`);
      return this.df.naFill({ kind: "byColumn", values });
    }
    checkValue(value, "na.fill: the value");
    return this.df.naFill({ kind: "value", value, subset: subsetOf(subset) });
  }

  /**
   * `drop()` / `drop("any" | "all")` / `drop(minNonNulls)`, each optionally with the
   * columns to look at: drops rows holding nulls (or NaN) there.
   */
  drop(how: "any" | "all" | number = "any", subset?: string | readonly string[]): Dataset<Row, M> {
    const cols = subsetOf(subset);
    if (typeof how === "number") {
      if (!Number.isInteger(how)) throw new AnalysisError(`na.drop: minNonNulls must be an integer, not ${how}`);
      return this.df.naDrop({ minNonNulls: how, subset: cols });
    }
    const mode = String(how).toLowerCase();
    if (mode === "any") return this.df.naDrop({ minNonNulls: null, subset: cols });
    if (mode === "all") return this.df.naDrop({ minNonNulls: 1, subset: cols });
    throw new AnalysisError(`na.drop: how must be 'any' or 'all', not '${how}'`);
  }

  /**
   * `replace("city", new Map([["Oslo", "OSL"]]))`, `replace(["age", "height"], new Map([[0, null]]))`,
   * `replace("*", { unknown: "?" })`: replaces the values equal to a key by its value, in the
   * named columns ("*": all) whose type is the keys' kind; the others are left alone.
   * Keys are numbers, strings or booleans, all of one kind; values the same kind, or null.
   */
  replace(cols: string | readonly string[], replacement: ReadonlyMap<FillValue, FillValue | null> | Readonly<Record<string, string | null>>): Dataset<Row, M> {
    const pairs = replacement instanceof Map ? [...replacement.entries()] : Object.entries(replacement as Record<string, string | null>);
    const names = typeof cols === "string" ? [cols] : [...cols];
    if (pairs.length === 0 || names.length === 0) return this.df.naReplace({ cols: [], replacements: [] });
    const kind = (v: unknown): string => (typeof v === "bigint" ? "number" : typeof v);
    for (const [k, v] of pairs) {
      checkValue(k, "na.replace: a key");
      if (v !== null) checkValue(v, `na.replace: the value for ${String(k)}`);
      if (kind(k) !== kind(pairs[0]![0]) || (v !== null && kind(v) !== kind(k))) {
        throw new AnalysisError(`na.replace: mixed type replacements are not supported: keys and values must all be numbers, all strings or all booleans (values may be null), but found ${String(k)} (${kind(k)}) => ${String(v)} (${v === null ? "null" : kind(v)})`);
      }
    }
    return this.df.naReplace({ cols: names.length === 1 && names[0] === "*" ? [] : names, replacements: pairs });
  }
}

function subsetOf(subset: string | readonly string[] | undefined): readonly string[] | null {
  return subset === undefined ? null : typeof subset === "string" ? [subset] : subset;
}

function checkValue(v: unknown, what: string): void {
  if (typeof v !== "number" && typeof v !== "bigint" && typeof v !== "string" && typeof v !== "boolean") {
    throw new AnalysisError(`${what} must be a number, string or boolean, not ${v === null ? "null" : typeof v}`);
  }
}
