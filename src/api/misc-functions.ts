import { AggregateCall, Call, Literal, type Expression } from "../expr/expression.ts";
import { Column, colExpr, toExpr, type ColumnLike } from "./column.ts";

/**
 * Spark's `functions` for null handling, try_ arithmetic and the statistical aggregates
 * (every … regr_*); re-exported by functions.ts.
 */

import type { ColOrName } from "./functions.ts";
const fn = (name: string, ...args: Expression[]): Column => new Column(Call.create(name, args));
const agg = (name: string, ...args: Expression[]): Column => new Column(AggregateCall.create(name, args, false));
/** A percentage argument: a number, an array of numbers (Spark's `array(lit(…))`), or a Column. */
const percentages = (p: number | readonly number[] | Column): Expression =>
  p instanceof Column ? p.expr : Array.isArray(p) ? Call.create("array", p.map((x) => Literal.create(x, null))) : Literal.create(p, null);

// Null handling and types
export function typeof_(c: ColOrName): Column { return fn("typeof", colExpr(c)); }
export { typeof_ as typeof };
export function equal_null(a: ColOrName, b: ColOrName): Column { return fn("equal_null", colExpr(a), colExpr(b)); }
export function nvl2(a: ColOrName, b: ColumnLike, c: ColumnLike): Column { return fn("nvl2", colExpr(a), toExpr(b), toExpr(c)); }
export function nullif(a: ColOrName, b: ColumnLike): Column { return fn("nullif", colExpr(a), toExpr(b)); }

// try_ arithmetic: null instead of an overflow or a division by zero
export function try_add(l: ColOrName, r: ColOrName): Column { return fn("try_add", colExpr(l), colExpr(r)); }
export function try_subtract(l: ColOrName, r: ColOrName): Column { return fn("try_subtract", colExpr(l), colExpr(r)); }
export function try_multiply(l: ColOrName, r: ColOrName): Column { return fn("try_multiply", colExpr(l), colExpr(r)); }
export function try_divide(l: ColOrName, r: ColOrName): Column { return fn("try_divide", colExpr(l), colExpr(r)); }

// Boolean and counting aggregates
export function every(c: ColOrName): Column { return agg("every", colExpr(c)); }
export function bool_and(c: ColOrName): Column { return agg("bool_and", colExpr(c)); }
export function some(c: ColOrName): Column { return agg("some", colExpr(c)); }
export function any(c: ColOrName): Column { return agg("any", colExpr(c)); }
export function bool_or(c: ColOrName): Column { return agg("bool_or", colExpr(c)); }
export function count_if(c: ColOrName): Column { return agg("count_if", colExpr(c)); }

/** count_min_sketch(col, eps, confidence, seed): Spark's CountMinSketch of the column, serialised as Spark writes it. */
export function count_min_sketch(c: ColOrName, eps: number | Column, confidence: number | Column, seed: number | Column): Column {
  const arg = (x: number | Column): Expression => (x instanceof Column ? x.expr : Literal.create(x, null));
  return agg("count_min_sketch", colExpr(c), arg(eps), arg(confidence), arg(seed));
}

// Collecting aggregates
export function collect_list(c: ColOrName): Column { return agg("collect_list", colExpr(c)); }
export function array_agg(c: ColOrName): Column { return agg("array_agg", colExpr(c)); }
export function collect_set(c: ColOrName): Column { return agg("collect_set", colExpr(c)); }
export function mode(c: ColOrName): Column { return agg("mode", colExpr(c)); }
export function max_by(c: ColOrName, ord: ColOrName): Column { return agg("max_by", colExpr(c), colExpr(ord)); }
export function min_by(c: ColOrName, ord: ColOrName): Column { return agg("min_by", colExpr(c), colExpr(ord)); }

// Percentiles
export function percentile(c: ColOrName, percentage: number | readonly number[] | Column, frequency?: ColumnLike): Column {
  return agg("percentile", colExpr(c), percentages(percentage), ...(frequency === undefined ? [] : [toExpr(frequency)]));
}
export function percentile_approx(c: ColOrName, percentage: number | readonly number[] | Column, accuracy?: ColumnLike): Column {
  return agg("percentile_approx", colExpr(c), percentages(percentage), ...(accuracy === undefined ? [] : [toExpr(accuracy)]));
}
export const approx_percentile = percentile_approx;
export function median(c: ColOrName): Column { return agg("median", colExpr(c)); }
export function histogram_numeric(c: ColOrName, nBins: ColumnLike): Column { return agg("histogram_numeric", colExpr(c), toExpr(nBins)); }

// Moments
export function stddev(c: ColOrName): Column { return agg("stddev", colExpr(c)); }
export const std = stddev;
export function stddev_samp(c: ColOrName): Column { return agg("stddev_samp", colExpr(c)); }
export function stddev_pop(c: ColOrName): Column { return agg("stddev_pop", colExpr(c)); }
export function variance(c: ColOrName): Column { return agg("variance", colExpr(c)); }
export function var_samp(c: ColOrName): Column { return agg("var_samp", colExpr(c)); }
export function var_pop(c: ColOrName): Column { return agg("var_pop", colExpr(c)); }
export function skewness(c: ColOrName): Column { return agg("skewness", colExpr(c)); }
export function kurtosis(c: ColOrName): Column { return agg("kurtosis", colExpr(c)); }

// Pairs: correlation, covariance, linear regression (y, x)
export function corr(a: ColOrName, b: ColOrName): Column { return agg("corr", colExpr(a), colExpr(b)); }
export function covar_pop(a: ColOrName, b: ColOrName): Column { return agg("covar_pop", colExpr(a), colExpr(b)); }
export function covar_samp(a: ColOrName, b: ColOrName): Column { return agg("covar_samp", colExpr(a), colExpr(b)); }
export function regr_count(y: ColOrName, x: ColOrName): Column { return agg("regr_count", colExpr(y), colExpr(x)); }
export function regr_avgx(y: ColOrName, x: ColOrName): Column { return agg("regr_avgx", colExpr(y), colExpr(x)); }
export function regr_avgy(y: ColOrName, x: ColOrName): Column { return agg("regr_avgy", colExpr(y), colExpr(x)); }
export function regr_slope(y: ColOrName, x: ColOrName): Column { return agg("regr_slope", colExpr(y), colExpr(x)); }
export function regr_intercept(y: ColOrName, x: ColOrName): Column { return agg("regr_intercept", colExpr(y), colExpr(x)); }
export function regr_r2(y: ColOrName, x: ColOrName): Column { return agg("regr_r2", colExpr(y), colExpr(x)); }
export function regr_sxx(y: ColOrName, x: ColOrName): Column { return agg("regr_sxx", colExpr(y), colExpr(x)); }
export function regr_syy(y: ColOrName, x: ColOrName): Column { return agg("regr_syy", colExpr(y), colExpr(x)); }
export function regr_sxy(y: ColOrName, x: ColOrName): Column { return agg("regr_sxy", colExpr(y), colExpr(x)); }

// Bitwise and try_ aggregates, any_value
export function bit_and(c: ColOrName): Column { return agg("bit_and", colExpr(c)); }
export function bit_or(c: ColOrName): Column { return agg("bit_or", colExpr(c)); }
export function bit_xor(c: ColOrName): Column { return agg("bit_xor", colExpr(c)); }
export function try_sum(c: ColOrName): Column { return agg("try_sum", colExpr(c)); }
export function try_avg(c: ColOrName): Column { return agg("try_avg", colExpr(c)); }
export function any_value(c: ColOrName, ignoreNulls?: boolean): Column {
  return agg("any_value", colExpr(c), ...(ignoreNulls === undefined ? [] : [Literal.create(ignoreNulls, null)]));
}

// Non-deterministic and error functions (see nondeterministic-functions.ts for how they map to Spark's partitions)
export function rand(seed?: number): Column { return fn("rand", ...(seed === undefined ? [] : [Literal.create(seed, null)])); }
export function randn(seed?: number): Column { return fn("randn", ...(seed === undefined ? [] : [Literal.create(seed, null)])); }
export function monotonically_increasing_id(): Column { return fn("monotonically_increasing_id"); }
export function spark_partition_id(): Column { return fn("spark_partition_id"); }
/** The file the row was read from (`file:///…`), "" for sources that are not files. */
export function input_file_name(): Column { return fn("input_file_name"); }
export function input_file_block_start(): Column { return fn("input_file_block_start"); }
export function input_file_block_length(): Column { return fn("input_file_block_length"); }
export function raise_error(message: ColumnLike): Column { return fn("raise_error", toExpr(message)); }
export function assert_true(c: ColOrName, message?: ColumnLike): Column {
  return fn("assert_true", colExpr(c), ...(message === undefined ? [] : [toExpr(message)]));
}

// AES (Spark 3.5's functions.aes_encrypt …): mode GCM (default), CBC or ECB; padding DEFAULT, NONE or PKCS
/** `aes_encrypt(input, key, mode?, padding?, iv?, aad?)`: BINARY; an omitted or empty IV is random. */
export function aes_encrypt(input: ColOrName, key: ColumnLike, mode?: ColumnLike, padding?: ColumnLike, iv?: ColumnLike, aad?: ColumnLike): Column {
  return fn("aes_encrypt", colExpr(input), toExpr(key), ...[mode, padding, iv, aad].filter((a) => a !== undefined).map((a) => toExpr(a!)));
}
/** `aes_decrypt(input, key, mode?, padding?, aad?)`: BINARY; fails with [INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR] on a wrong key or damaged input. */
export function aes_decrypt(input: ColOrName, key: ColumnLike, mode?: ColumnLike, padding?: ColumnLike, aad?: ColumnLike): Column {
  return fn("aes_decrypt", colExpr(input), toExpr(key), ...[mode, padding, aad].filter((a) => a !== undefined).map((a) => toExpr(a!)));
}
/** `try_aes_decrypt(…)`: as aes_decrypt, null where it would fail to decrypt. */
export function try_aes_decrypt(input: ColOrName, key: ColumnLike, mode?: ColumnLike, padding?: ColumnLike, aad?: ColumnLike): Column {
  return fn("try_aes_decrypt", colExpr(input), toExpr(key), ...[mode, padding, aad].filter((a) => a !== undefined).map((a) => toExpr(a!)));
}
