import { AnalysisError } from "../../common/errors.ts";
import { ArrayType, DoubleType, IntegerType, StructType, isAnsiInterval, isNumeric, type DataType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { Literal, type AggregateCall, type Expression } from "../expression.ts";
import { decimalToDouble, doubleToDecimal } from "../../columnar/decimal-values.ts";
import { emptySummary, insertValue, mergeSummaries, queryPercentiles, type QuantileSummary } from "./quantile-summary.ts";
import { compareValues } from "../functions/comparison.ts";
import { checkArity, coerceArg, typeMismatch } from "../functions/function-args.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { RowAccumulator } from "./row-accumulator.ts";

/**
 * percentile, median, percentile_approx and histogram_numeric. percentile and median keep
 * each distinct value with its count (Spark's Percentile buffer); percentile_approx keeps
 * Spark's Greenwald–Khanna summary (quantile-summary.ts), bounded in memory.
 */

type Counts = Map<unknown, number>;

/** A numeric literal's value as a double (a DECIMAL literal holds its unscaled digits). */
function literalNumber(e: Literal): unknown {
  const t = e.dataType;
  const toDouble = (v: unknown, scale: number): unknown => (typeof v === "bigint" ? decimalToDouble(v, scale) : v);
  if (t?.kind === "decimal") return toDouble(e.value, t.scale);
  // array(0.25, 0.75), folded into one literal of decimals.
  if (t?.kind === "array" && t.elementType.kind === "decimal" && Array.isArray(e.value)) {
    const scale = t.elementType.scale;
    return e.value.map((v: unknown) => toDouble(v, scale));
  }
  return e.value;
}

/** The constant percentage(s) of a call: a number, or an array of numbers, each within [0, 1]. */
function percentages(fn: string, args: readonly Expression[], k: number): number[] | number {
  const e = args[k]!;
  const shown = args.map(displayExpression);
  const call = fn === "percentile_cont" || fn === "percentile_disc" ? withinGroupDisplay(fn)(shown) : `${fn}(${shown.join(", ")})`;
  // array(0.25, 0.5) types its elements alike: 0.5 arrives as CAST(0.5 AS DECIMAL(2,2)), the same value.
  const element = (a: Expression): Literal | undefined => (a.kind === "Literal" ? a : a.kind === "Cast" && a.child.kind === "Literal" ? a.child : undefined);
  const value = e.kind === "Literal" ? literalNumber(e) : e.kind === "Call" && e.name === "array" && e.args.every((a) => element(a) !== undefined) ? e.args.map((a) => literalNumber(element(a)!)) : undefined;
  if (value === undefined) {
    throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${call}" due to data type mismatch: the input \`percentage\` should be a foldable "DOUBLE" expression; however, got "${displayExpression(e)}".`);
  }
  const list = (Array.isArray(value) ? value : [value]).map(Number);
  for (const p of list) {
    if (!(p >= 0 && p <= 1)) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "${call}" due to data type mismatch: The \`percentage\` must be between [0.0, 1.0], but got ${p}.`);
    }
  }
  return Array.isArray(value) ? list : list[0]!;
}

/** A fold of value counts; `weightAt`: the argument holding each row's frequency, if any. */
function countsFold(result: (sorted: [unknown, number][]) => unknown, weightAt = -1) {
  return {
    skipNullIn: [0],
    add: (b: Counts | undefined, vals: readonly unknown[]): Counts => {
      b ??= new Map();
      const w = weightAt >= 0 ? Number(vals[weightAt] ?? 0) : 1;
      if (w > 0) b.set(vals[0], (b.get(vals[0]) ?? 0) + w);
      return b;
    },
    merge: (a: Counts, b: Counts): Counts => { for (const [x, c] of b) a.set(x, (a.get(x) ?? 0) + c); return a; },
    result: (b: Counts | undefined) => (b === undefined || b.size === 0 ? null : result([...b].sort((x, y) => compareValues(x[0], y[0])))),
  };
}

/** Spark's Percentile: linear interpolation between the values at floor and ceil of (n − 1)·p. */
function exactPercentile(sorted: [unknown, number][], p: number): number {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, c] of sorted) cumulative.push((total += c));
  const position = (total - 1) * p;
  const lower = Math.floor(position), higher = Math.ceil(position);
  const at = (pos: number): number => Number(sorted[cumulative.findIndex((c) => c > pos)]![0]);
  const lo = at(lower), hi = at(higher);
  if (higher === lower || lo === hi) return lo;
  return (higher - position) * lo + (position - lower) * hi;
}

function numericInput(fn: string, args: readonly Expression[]): Expression {
  const t = typeOf(args[0]!);
  if (!isNumeric(t) && t.kind !== "null") throw typeMismatch(fn, args, 0, "numeric");
  return coerceArg(fn, args, 0, DoubleType);
}

/**
 * percentile's and median's value: a number as a double, or an ANSI interval as itself (Spark's
 * Percentile over YearMonthIntervalType/DayTimeIntervalType: months or microseconds, the
 * interpolated answer truncated back to them).
 */
function percentileInput(fn: string, args: readonly Expression[]): { arg: Expression; type: DataType } {
  const t = typeOf(args[0]!);
  if (isAnsiInterval(t)) return { arg: args[0]!, type: t };
  if (!isNumeric(t) && t.kind !== "null") throw typeMismatch(fn, args, 0, "numeric or interval year to month or interval day to second");
  return { arg: coerceArg(fn, args, 0, DoubleType), type: DoubleType };
}

/** An interpolated percentile in the input's type: an interval's months or microseconds truncate (Spark's toInt, toLong). */
function percentileValue(d: number, type: DataType): unknown {
  return isAnsiInterval(type) ? Math.trunc(d) : d;
}

const percentile: AggregateFunction = {
  name: "percentile",
  resolve(args) {
    checkArity("percentile", args, 2, 3);
    const p = percentages("percentile", args, 1);
    const rest = args.length === 3 ? [coerceArg("percentile", args, 2, IntegerType)] : [];
    const { arg, type } = percentileInput("percentile", args);
    return { args: [arg, args[1]!, ...rest], dataType: Array.isArray(p) ? ArrayType(type, false) : type };
  },
  createAccumulator(call: AggregateCall) {
    const p = percentages("percentile", call.args, 1);
    const type = typeOf(call.args[0]!);
    const at = (s: [unknown, number][], x: number): unknown => percentileValue(exactPercentile(s, x), type);
    return new RowAccumulator<Counts>(call.dataType!, countsFold((s) => (Array.isArray(p) ? p.map((x) => at(s, x)) : at(s, p)), call.args.length === 3 ? 2 : -1));
  },
};

/**
 * Spark 4's PercentileDisc (`percentile_disc(p) WITHIN GROUP (ORDER BY x [DESC])`, which the
 * SQL front end turns into percentile_disc(x, p, descending)): the first value, in the
 * order, whose cumulative distribution reaches p — a value of x, as a double.
 */
function discretePercentile(sorted: [unknown, number][], p: number): number {
  let total = 0;
  for (const [, c] of sorted) total += c;
  const position = Math.ceil(total * p);
  let cumulative = 0;
  for (const [x, c] of sorted) {
    cumulative += c;
    if (cumulative >= position) return Number(x);
  }
  return Number(sorted[sorted.length - 1]![0]);
}

/** Whether an inverse distribution call (x, p, descending) orders descending. */
const isDescending = (args: readonly Expression[]): boolean => args.length === 3 && args[2]!.kind === "Literal" && args[2]!.value === true;

/** Spark's PercentileCont/PercentileDisc `sql`: `percentile_cont(0.5) WITHIN GROUP (ORDER BY v DESC)`. */
const withinGroupDisplay = (name: string) => (args: readonly string[]): string =>
  `${name}(${args[1]}) WITHIN GROUP (ORDER BY ${args[0]}${args[2] === "true" ? " DESC" : ""})`;

/**
 * Spark's PercentileCont and PercentileDisc (`percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC])`,
 * which the SQL front end turns into name(x, p, descending)), named as Spark names them;
 * `pick` takes the value at p from the sorted counts.
 */
function withinGroupPercentile(name: string, pick: (sorted: [unknown, number][], p: number, descending: boolean) => number): AggregateFunction {
  return {
    name,
    display: withinGroupDisplay(name),
    resolve(args) {
      checkArity(name, args, 2, 3);
      percentages(name, args, 1);
      return { args: [numericInput(name, args), ...args.slice(1)], dataType: DoubleType };
    },
    createAccumulator(call: AggregateCall) {
      const p = percentages(name, call.args, 1) as number;
      const descending = isDescending(call.args);
      return new RowAccumulator<Counts>(call.dataType!, countsFold((s) => pick(s, p, descending)));
    },
  };
}

/** Linear interpolation, as percentile, at 1 − p when descending. */
const percentileCont = withinGroupPercentile("percentile_cont", (s, p, descending) => exactPercentile(s, descending ? 1 - p : p));
/** The first value whose cumulative distribution reaches p, in the order given. */
const percentileDisc = withinGroupPercentile("percentile_disc", (s, p, descending) => discretePercentile(descending ? s.reverse() : s, p));

const median: AggregateFunction = {
  name: "median",
  resolve(args) {
    checkArity("median", args, 1);
    const { arg, type } = percentileInput("median", args);
    return { args: [arg], dataType: type };
  },
  createAccumulator: (call: AggregateCall) => new RowAccumulator<Counts>(call.dataType!, countsFold((s) => percentileValue(exactPercentile(s, 0.5), call.dataType!))),
};

/** Spark's ApproximatePercentile.DEFAULT_PERCENTILE_ACCURACY: relative error 1/10000. */
const DEFAULT_ACCURACY = 10000;

function percentileApproxMismatch(args: readonly Expression[], detail: string): AnalysisError {
  return new AnalysisError(`[DATATYPE_MISMATCH.${detail.startsWith("the input") ? "NON_FOLDABLE_INPUT" : "VALUE_OUT_OF_RANGE"}] Cannot resolve "percentile_approx(${args.map(displayExpression).join(", ")})" due to data type mismatch: ${detail}`);
}

/** The accuracy argument: a constant integer in (0, 2^31 − 1]. */
function accuracyOf(args: readonly Expression[]): number {
  const e = args[2];
  if (e === undefined) return DEFAULT_ACCURACY;
  const value = e.kind === "Literal" ? e.value : e.kind === "Cast" && e.child.kind === "Literal" ? e.child.value : undefined;
  if (value === undefined) throw percentileApproxMismatch(args, `the input \`accuracy\` should be a foldable "INT" expression; however, got "${displayExpression(e)}".`);
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 2147483647) {
    throw percentileApproxMismatch(args, `The \`accuracy\` must be between (0, 2147483647] (current value = ${String(value)}L).`);
  }
  return n;
}

/** An input value as the double the sketch orders (decimals by value, longs beyond 2^53 rounded as Spark's toDouble). */
function sketchValue(v: unknown, type: DataType): number {
  if (typeof v === "bigint") return type.kind === "decimal" ? decimalToDouble(v, type.scale) : Number(v);
  return v as number;
}

/** A sketch answer back in the input's type (Spark's ApproximatePercentile: toInt, toLong … of the double). */
function fromSketch(d: number, type: DataType): unknown {
  switch (type.kind) {
    case "double": return d;
    case "float": return Math.fround(d);
    case "decimal": return doubleToDecimal(d, type.scale);
    case "long": { const t = Math.trunc(d); return Number.isSafeInteger(t) ? t : BigInt(t); }
    default: return Math.trunc(d);
  }
}

const percentileApprox: AggregateFunction = {
  name: "percentile_approx",
  aliases: ["approx_percentile"],
  resolve(args) {
    checkArity("percentile_approx", args, 2, 3);
    const t = typeOf(args[0]!);
    if (!isNumeric(t) && !isAnsiInterval(t) && t.kind !== "date" && t.kind !== "timestamp" && t.kind !== "timestamp_ntz") {
      throw typeMismatch("percentile_approx", args, 0, "numeric or date or timestamp or timestamp_ntz or interval year to month or interval day to second");
    }
    const p = percentages("percentile_approx", args, 1);
    const accuracy = accuracyOf(args);
    // Spark prints the default accuracy in the column name: percentile_approx(x, 0.5, 10000).
    return { args: [args[0]!, args[1]!, args[2] ?? Literal.create(accuracy, IntegerType)], dataType: Array.isArray(p) ? ArrayType(t, false) : t };
  },
  createAccumulator(call: AggregateCall) {
    const p = percentages("percentile_approx", call.args, 1);
    const list = Array.isArray(p) ? p : [p];
    const relativeError = 1 / accuracyOf(call.args);
    const input = typeOf(call.args[0]!);
    return new RowAccumulator<QuantileSummary>(call.dataType!, {
      skipNullIn: [0],
      add: (b, vals) => insertValue(b ?? emptySummary(relativeError), sketchValue(vals[0], input)),
      merge: mergeSummaries,
      result: (b) => {
        const answers = b === undefined ? null : queryPercentiles(b, list);
        if (answers === null) return null;
        const typed = answers.map((d) => fromSketch(d, input));
        return Array.isArray(p) ? typed : typed[0];
      },
    });
  },
};

/** Hive's NumericHistogram: at most `nb` bins (x, count), the two closest merged when one too many. */
type Bins = [number, number][];

function addToBins(bins: Bins, x: number, y: number, nb: number): Bins {
  let lo = 0, hi = bins.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (bins[mid]![0] < x) lo = mid + 1; else hi = mid; }
  if (lo < bins.length && bins[lo]![0] === x) bins[lo]![1] += y;
  else bins.splice(lo, 0, [x, y]);
  while (bins.length > nb) {
    let best = 0;
    for (let i = 1; i < bins.length - 1; i++) if (bins[i + 1]![0] - bins[i]![0] < bins[best + 1]![0] - bins[best]![0]) best = i;
    const [x1, y1] = bins[best]!, [x2, y2] = bins[best + 1]!;
    bins.splice(best, 2, [(x1 * y1 + x2 * y2) / (y1 + y2), y1 + y2]);
  }
  return bins;
}

const histogramNumeric: AggregateFunction = {
  name: "histogram_numeric",
  resolve(args) {
    checkArity("histogram_numeric", args, 2);
    const t = typeOf(args[0]!);
    if (!isNumeric(t) && t.kind !== "date" && t.kind !== "timestamp") throw typeMismatch("histogram_numeric", args, 0, "numeric or date or timestamp");
    const nb = args[1]!;
    if (nb.kind !== "Literal" || !Number.isInteger(nb.value) || (nb.value as number) < 2) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "histogram_numeric(${args.map(displayExpression).join(", ")})" due to data type mismatch: The \`nb\` must be an integer literal of at least 2, but got ${displayExpression(nb)}.`);
    }
    // spark.sql.legacy.histogramNumericPropagateInputType (true): x has the input's type.
    const x: DataType = t.kind === "null" ? DoubleType : t;
    return { args, dataType: ArrayType(new StructType([{ name: "x", dataType: x, nullable: true }, { name: "y", dataType: DoubleType, nullable: true }]), true) };
  },
  createAccumulator(call: AggregateCall) {
    const nb = Number((call.args[1] as { value: unknown }).value);
    const x = (call.dataType as ArrayType).elementType as StructType;
    const xType = x.fields[0]!.dataType;
    return new RowAccumulator<Bins>(call.dataType!, {
      skipNullIn: [0],
      // A DECIMAL arrives unscaled: bins are built from its value.
      add: (b, [v]) => addToBins(b ?? [], sketchValue(v, xType), 1, nb),
      merge: (a, b) => { for (const [bx, by] of b) addToBins(a, bx, by, nb); return a; },
      result: (b) => (b === undefined ? null : b.map(([bx, by]) => ({ x: fromSketch(bx, xType), y: by }))),
    });
  },
};

export const percentileAggregates: AggregateFunction[] = [percentile, percentileCont, percentileDisc, median, percentileApprox, histogramNumeric];
