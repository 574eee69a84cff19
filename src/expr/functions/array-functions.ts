import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { ArrayType, BooleanType, IntegerType, LongType, NullType, StringType, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { Literal, type Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { compareValues } from "./comparison.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * Spark's array functions: append/prepend/insert/remove/compact, the set operations
 * (distinct, except, intersect, union, arrays_overlap: elements equal as Spark's, NaN equal
 * to NaN), join, max/min, position, repeat, size, sorts and slice. A null array gives null.
 */

type Values = readonly unknown[];

/** A value usable as a Map key with Spark's equality (arrays and structs by content). */
export function elementKey(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "number" && Object.is(v, -0) ? 0 : v;
  return `\u0000${JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x instanceof Map ? [...x] : x))}`;
}

function arrayArg(fn: string, args: readonly Expression[], k: number): DataType {
  const t = typeOf(args[k]!);
  if (t.kind === "null") return NullType;
  if (t.kind !== "array") throw typeMismatch(fn, args, k, "array");
  return t.elementType;
}

/** The element type of the two arrays (or array and element) together, as Spark's ARRAY_FUNCTION_DIFF_TYPES check. */
function commonElement(fn: string, args: readonly Expression[], a: DataType, b: DataType): DataType {
  const w = widerType(a, b);
  if (w === null) {
    throw new AnalysisError(
      `[DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES] Cannot resolve "${fn}(${args.map(displayExpression).join(", ")})" due to data type mismatch: ` +
      `Input to \`${fn}\` should have been "ARRAY" followed by a value with same element type, but it's ["${typeName(ArrayType(a)).toUpperCase()}", "${typeName(b).toUpperCase()}"].`,
    );
  }
  return w;
}

/** f(array, element): the array and the element coerced to one element type. */
function arrayAndElement(name: string, result: (elem: DataType) => DataType, f: (arr: Values, x: unknown) => unknown, nullElementGivesNull: boolean): ScalarFunction {
  return {
    name,
    nullIntolerant: nullElementGivesNull,
    resolve(args) {
      checkArity(name, args, 2);
      const elem = commonElement(name, args, arrayArg(name, args, 0), typeOf(args[1]!));
      return { args: [castIfNeeded(args[0]!, ArrayType(elem)), castIfNeeded(args[1]!, elem)], dataType: result(elem) };
    },
    evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([arr, x]) => (arr === null ? null : f(arr as Values, x)), nullElementGivesNull),
  };
}

/** f(array): one array in, `result(elementType)` out. */
function unaryArray(name: string, result: (elem: DataType) => DataType, f: (arr: Values) => unknown): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1);
      return { args, dataType: result(arrayArg(name, args, 0)) };
    },
    evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([arr]) => f(arr as Values)),
  };
}

/** f(a, b) over two arrays of one (widened) element type. */
function twoArrays(name: string, result: (elem: DataType) => DataType, f: (a: Values, b: Values) => unknown): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      const elem = commonElement(name, args, arrayArg(name, args, 0), arrayArg(name, args, 1));
      return { args: args.map((a) => castIfNeeded(a, ArrayType(elem))), dataType: result(elem) };
    },
    evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([a, b]) => f(a as Values, b as Values)),
  };
}

const same = (elem: DataType): DataType => ArrayType(elem);
const element = (elem: DataType): DataType => elem;

function distinct(values: Values): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = elementKey(v);
    if (!seen.has(k)) { seen.add(k); out.push(v); }
  }
  return out;
}

const keys = (values: Values): Set<unknown> => new Set(values.map(elementKey));

/** Ascending with nulls first (sort_array asc) or last (array_sort). */
function sorted(values: Values, ascending: boolean, nullsFirst: boolean): unknown[] {
  return [...values].sort((a, b) => {
    if (a === null || b === null) return a === b ? 0 : (a === null) === nullsFirst ? -1 : 1;
    const c = compareValues(a, b);
    return ascending ? c : -c;
  });
}

function extreme(values: Values, sign: number): unknown {
  let best: unknown = null;
  for (const v of values) if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
  return best;
}

/** array_insert(arr, pos, x): 1-based pos, negative from the end (-1 appends); beyond the ends pads with nulls. */
function insertAt(arr: Values, pos: number, x: unknown): unknown[] {
  if (pos === 0) throw new ExecutionError("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).");
  if (pos > 0) {
    const out = [...arr];
    while (out.length < pos - 1) out.push(null);
    out.splice(pos - 1, 0, x);
    return out;
  }
  const at = arr.length + pos + 1;
  if (at >= 0) return [...arr.slice(0, at), x, ...arr.slice(at)];
  return [x, ...new Array<unknown>(-at - 1).fill(null), ...arr];
}

const arrayInsert: ScalarFunction = {
  name: "array_insert",
  nullIntolerant: false,
  resolve(args) {
    checkArity("array_insert", args, 3);
    const elem = commonElement("array_insert", args, arrayArg("array_insert", args, 0), typeOf(args[2]!));
    return { args: [castIfNeeded(args[0]!, ArrayType(elem)), coerceArg("array_insert", args, 1, IntegerType), castIfNeeded(args[2]!, elem)], dataType: ArrayType(elem) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([arr, pos, x]) => (arr === null || pos === null ? null : insertAt(arr as Values, pos as number, x)), false),
};

/** array_join(arr, delimiter[, nullReplacement]): nulls are skipped unless replaced. */
const arrayJoin: ScalarFunction = {
  name: "array_join",
  resolve(args) {
    checkArity("array_join", args, 2, 3);
    arrayArg("array_join", args, 0);
    const rest = args.slice(1).map((_, k) => coerceArg("array_join", args, k + 1, StringType));
    return { args: [castIfNeeded(args[0]!, ArrayType(StringType)), ...rest], dataType: StringType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, StringType, ([arr, sep, rep]) =>
    (arr as Values).flatMap((v) => (v !== null ? [v] : rep !== undefined ? [rep] : [])).join(sep as string)),
};

/** array_repeat(x, count): x (even null) count times; empty for count ≤ 0. */
const arrayRepeat: ScalarFunction = {
  name: "array_repeat",
  nullIntolerant: false,
  resolve(args) {
    checkArity("array_repeat", args, 2);
    const t = typeOf(args[0]!);
    return { args: [args[0]!, coerceArg("array_repeat", args, 1, IntegerType)], dataType: ArrayType(t) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([x, count]) => (count === null ? null : new Array(Math.max(0, count as number)).fill(x)), false),
};

/** sort_array(arr[, asc]): nulls first ascending, last descending. */
const sortArray: ScalarFunction = {
  name: "sort_array",
  resolve(args) {
    checkArity("sort_array", args, 1, 2);
    const full = args.length === 1 ? [...args, Literal.create(true, BooleanType)] : args;
    if (full[1]!.kind !== "Literal" || typeof full[1]!.value !== "boolean") throw typeMismatch("sort_array", args, 1, "boolean");
    return { args: full, dataType: ArrayType(arrayArg("sort_array", args, 0)) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([arr, asc]) => sorted(arr as Values, asc as boolean, asc as boolean)),
};

/** slice(arr, start, length): start 1-based (negative from the end; 0 fails), length ≥ 0. */
function slice(arr: Values, start: number, length: number): unknown[] {
  if (start === 0) throw new ExecutionError("[INVALID_PARAMETER_VALUE.START] The value of parameter(s) `start` in `slice` is invalid: Expects a positive or a negative value for `start`, but got 0.");
  if (length < 0) throw new ExecutionError(`[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter(s) \`length\` in \`slice\` is invalid: Expects \`length\` greater than or equal to 0, but got ${length}.`);
  const from = start > 0 ? start - 1 : arr.length + start;
  if (from < 0 || from >= arr.length) return [];
  return arr.slice(from, from + length);
}

const sliceFn: ScalarFunction = {
  name: "slice",
  resolve(args) {
    checkArity("slice", args, 3);
    return { args: [args[0]!, coerceArg("slice", args, 1, IntegerType), coerceArg("slice", args, 2, IntegerType)], dataType: ArrayType(arrayArg("slice", args, 0)) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([arr, s, l]) => slice(arr as Values, s as number, l as number)),
};

/** arrays_overlap(a, b): true on a common non-null element; else null when either has a null and both are non-empty. */
function overlap(a: Values, b: Values): boolean | null {
  const [small, big] = a.length <= b.length ? [a, b] : [b, a];
  const set = keys(small.filter((v) => v !== null));
  let sawNull = small.includes(null);
  for (const v of big) {
    if (v === null) sawNull = true;
    else if (set.has(elementKey(v))) return true;
  }
  return sawNull && a.length > 0 && b.length > 0 ? null : false;
}

/** flatten(array<array<T>>): null when any inner array is null. */
const flatten: ScalarFunction = {
  name: "flatten",
  resolve(args) {
    checkArity("flatten", args, 1);
    const inner = arrayArg("flatten", args, 0);
    if (inner.kind !== "array") throw typeMismatch("flatten", args, 0, "array<array>");
    return { args, dataType: inner };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([arr]) => ((arr as Values).includes(null) ? null : (arr as Values[]).flat())),
};

/** shuffle(arr): a random permutation (Fisher–Yates with Math.random; Spark's sequence for a seed is not reproduced). */
const shuffle: ScalarFunction = {
  ...unaryArray("shuffle", same, (arr) => {
    const out = [...arr];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }),
  deterministic: false,
};

/** array_sort(arr) without a comparator: ascending, nulls last (higher-order-functions.ts adds the comparator form). */
export const arraySortAscending = unaryArray("array_sort", same, (arr) => sorted(arr, true, false));

/** array_size(arr): the number of elements; null for a null array (size() gives -1). */
const arraySize = unaryArray("array_size", () => IntegerType, (arr) => arr.length);

export const arrayFunctions: ScalarFunction[] = [
  arrayAndElement("array_append", same, (arr, x) => [...arr, x], false),
  arrayAndElement("array_prepend", same, (arr, x) => [x, ...arr], false),
  arrayAndElement("array_remove", same, (arr, x) => arr.filter((v) => v === null || compareValues(v, x) !== 0), true),
  arrayAndElement("array_position", () => LongType, (arr, x) => arr.findIndex((v) => v !== null && compareValues(v, x) === 0) + 1, true),
  arrayInsert,
  unaryArray("array_compact", same, (arr) => arr.filter((v) => v !== null)),
  unaryArray("array_distinct", same, distinct),
  unaryArray("array_max", element, (arr) => extreme(arr, 1)),
  unaryArray("array_min", element, (arr) => extreme(arr, -1)),
  arraySortAscending,
  arraySize,
  twoArrays("array_except", same, (a, b) => { const drop = keys(b); return distinct(a).filter((v) => !drop.has(elementKey(v))); }),
  twoArrays("array_intersect", same, (a, b) => { const keep = keys(b); return distinct(a).filter((v) => keep.has(elementKey(v))); }),
  twoArrays("array_union", same, (a, b) => distinct([...a, ...b])),
  twoArrays("arrays_overlap", () => BooleanType, overlap),
  arrayJoin, arrayRepeat, sortArray, sliceFn, flatten, shuffle,
];
