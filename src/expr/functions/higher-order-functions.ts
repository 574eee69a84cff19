import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { ArrayType, BooleanType, IntegerType, typeName, type DataType } from "../../types/data-types.ts";
import type { Evaluator } from "../compile.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import type { Call, Expression } from "../expression.ts";
import { LAMBDA, LAMBDA_VARIABLE, compileLambda, lambdaParts, resolveLambda, vecOf, type LambdaContext, type LambdaEvaluator } from "../lambda.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import { arraySortAscending } from "./array-functions.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * The array higher-order functions: transform, filter, exists, forall, aggregate/reduce,
 * zip_with and array_sort with a comparator; and the lambda and its variables themselves.
 * Each lambda body runs once per batch over every element of every row (lambda.ts).
 */

const notHere = (what: string) => (): never => { throw new AnalysisError(`[UNSUPPORTED_EXPR_FOR_OPERATOR] A ${what} can only be an argument of a higher-order function (transform, filter, aggregate…).`); };

/** A lambda outside a higher-order function fails to resolve; inside one, it is compiled by its function. */
const lambdaFunction: ScalarFunction = { name: LAMBDA, deterministic: false, nullIntolerant: false, resolve: notHere("lambda function"), evaluate: notHere("lambda function") };

/** A resolved variable reads its values from the lambda context; Spark prints it `namedlambdavariable()`. */
const lambdaVariable: ScalarFunction = {
  name: LAMBDA_VARIABLE,
  deterministic: false,
  nullIntolerant: false,
  display: () => "namedlambdavariable()",
  resolve(args) {
    if (args.length !== 2) notHere("lambda variable")();
    return { args, dataType: typeOf(args[1]!) };
  },
  evaluate: notHere("lambda variable"),
  compile(call) {
    const id = String((call.args[0] as { value: unknown }).value);
    return (_batch, ctx) => {
      const v = (ctx as LambdaContext).lambdaValues?.get(id);
      if (v === undefined) throw new ExecutionError(`lambda variable ${id} is not bound`);
      return v;
    };
  },
};

/** The elements of each row's array, flattened: element e belongs to row rows[e]; a null array has offsets[i] = offsets[i + 1] and null[i]. */
export interface Flattened {
  readonly rows: Int32Array;
  readonly elements: unknown[];
  readonly positions: number[];
  readonly offsets: Int32Array;
  readonly nulls: boolean[];
}

export function flattenArrays(v: Vec, n: number): Flattened {
  const rows: number[] = [], elements: unknown[] = [], positions: number[] = [], nulls: boolean[] = [];
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const arr = valueAt(v, i) as unknown[] | null;
    nulls.push(arr === null);
    if (arr !== null) arr.forEach((x, k) => { rows.push(i); elements.push(x); positions.push(k); });
    offsets[i + 1] = elements.length;
  }
  return { rows: Int32Array.from(rows), elements, positions, offsets, nulls };
}

export function arrayElementType(fn: string, args: readonly Expression[], k: number): DataType {
  const t = typeOf(args[k]!);
  if (t.kind !== "array") throw typeMismatch(fn, args, k, "array");
  return t.elementType;
}

/** The types of `(x)` or `(x, i)`: an element, and its 0-based index when the lambda takes two parameters. */
function elementParams(lambda: Expression, elem: DataType): DataType[] {
  return lambda.kind === "Call" && lambda.args.length === 3 ? [elem, IntegerType] : [elem];
}

/** Evaluates a per-element lambda over all elements: values of the element (and index) variables. */
function evaluatePerElement(body: LambdaEvaluator, batch: ColumnBatch, ctx: LambdaContext, flat: Flattened, elem: DataType, withIndex: boolean): Vec {
  const values = [vecOf(elem, flat.elements), ...(withIndex ? [vecOf(IntegerType, flat.positions)] : [])];
  return body(batch, ctx, flat.rows, values);
}

type RowCollector = (flat: Flattened, results: Vec, row: number) => unknown;

/** f(array, (x[, i]) -> …): resolves the lambda on the element type; `collect` builds each row's result from the lambda's results. */
function elementLambda(name: string, result: (elem: DataType, body: DataType) => DataType, collect: RowCollector, bodyType?: DataType): ScalarFunction {
  return {
    name,
    resolveWithLambdas(args, resolve) {
      checkArity(name, args, 2);
      const arr = resolve(args[0]!);
      const elem = arrayElementType(name, [arr, args[1]!], 0);
      let lambda = resolveLambda(name, args[1]!, elementParams(args[1]!, elem), resolve);
      if (bodyType !== undefined) {
        const t = lambda.dataType!;
        if (t.kind !== bodyType.kind && t.kind !== "null") throw typeMismatch(name, [arr, lambda], 1, typeName(bodyType));
        lambda = { ...lambda, args: [castIfNeeded(lambda.args[0]!, bodyType), ...lambda.args.slice(1)] } as Call;
      }
      return { args: [arr, lambda], dataType: result(elem, lambda.dataType!) };
    },
    resolve: () => { throw new AnalysisError(`${name} needs a lambda function`); },
    evaluate: notHere("lambda function"),
    compile(call, compile) {
      const arr = compile(call.args[0]!);
      const body = compileLambda(call.args[1]!, compile);
      const elem = (typeOf(call.args[0]!) as { elementType: DataType }).elementType;
      const withIndex = lambdaParts(call.args[1]!).ids.length === 2;
      const type = call.dataType!;
      return (batch, ctx) => {
        const n = batch.numRows;
        const flat = flattenArrays(arr(batch, ctx), n);
        const results = evaluatePerElement(body, batch, ctx as LambdaContext, flat, elem, withIndex);
        return vecOf(type, Array.from({ length: n }, (_, i) => (flat.nulls[i] ? null : collect(flat, results, i))));
      };
    },
  };
}

const resultsOf = (flat: Flattened, results: Vec, row: number): unknown[] => {
  const out: unknown[] = [];
  for (let e = flat.offsets[row]!; e < flat.offsets[row + 1]!; e++) out.push(valueAt(results, e));
  return out;
};

/** exists: true if any is true, else null if any is null (three-valued, Spark's default), else false. forall mirrors it. */
const threeValued = (stop: boolean) => (flat: Flattened, results: Vec, row: number): boolean | null => {
  let sawNull = false;
  for (const r of resultsOf(flat, results, row)) {
    if (r === null) sawNull = true;
    else if (r === stop) return stop;
  }
  return sawNull ? null : !stop;
};

/** aggregate(arr, zero, (acc, x) -> merge[, acc -> finish]): folds left, one element position at a time for all rows. */
function aggregateFunction(name: string): ScalarFunction {
  return {
    name,
    nullIntolerant: false,
    resolveWithLambdas(args, resolve) {
      checkArity(name, args, 3, 4);
      const arr = resolve(args[0]!), zero = resolve(args[1]!);
      const elem = arrayElementType(name, [arr, zero, ...args.slice(2)], 0);
      const acc = typeOf(zero);
      const merge = resolveLambda(name, args[2]!, [acc, elem], resolve);
      if (typeName(merge.dataType!) !== typeName(acc)) {
        throw new AnalysisError(
          `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}(${[arr, zero, merge].map(displayExpression).join(", ")})" due to data type mismatch: ` +
          `Parameter 3 requires the "${typeName(acc).toUpperCase()}" type, however "${displayExpression(merge)}" has the type "${typeName(merge.dataType!).toUpperCase()}".`,
        );
      }
      const finish = args[3] === undefined ? null : resolveLambda(name, args[3], [acc], resolve);
      return { args: [arr, zero, merge, ...(finish ? [finish] : [])], dataType: finish ? finish.dataType! : acc };
    },
    resolve: () => { throw new AnalysisError(`${name} needs a lambda function`); },
    evaluate: notHere("lambda function"),
    compile(call, compile) {
      const [arr, zero] = [compile(call.args[0]!), compile(call.args[1]!)];
      const merge = compileLambda(call.args[2]!, compile);
      const finish = call.args[3] ? compileLambda(call.args[3], compile) : null;
      const accType = typeOf(call.args[1]!), elem = (typeOf(call.args[0]!) as { elementType: DataType }).elementType;
      return (batch, ctx) => {
        const n = batch.numRows;
        const lctx = ctx as LambdaContext;
        const arrays = arr(batch, ctx), zeros = zero(batch, ctx);
        const lists = Array.from({ length: n }, (_, i) => valueAt(arrays, i) as unknown[] | null);
        const accs = Array.from({ length: n }, (_, i) => valueAt(zeros, i));
        const longest = Math.max(0, ...lists.map((l) => l?.length ?? 0));
        for (let j = 0; j < longest; j++) {
          const active: number[] = [];
          lists.forEach((l, i) => { if (l !== null && l.length > j) active.push(i); });
          const rows = Int32Array.from(active);
          const merged = merge(batch, lctx, rows, [vecOf(accType, active.map((i) => accs[i])), vecOf(elem, active.map((i) => lists[i]![j]))]);
          active.forEach((i, k) => { accs[i] = valueAt(merged, k); });
        }
        const all = Int32Array.from({ length: n }, (_, i) => i);
        const out = finish === null ? vecOf(accType, accs) : finish(batch, lctx, all, [vecOf(accType, accs)]);
        return vecOf(call.dataType!, Array.from({ length: n }, (_, i) => (lists[i] === null ? null : valueAt(out, i))));
      };
    },
  };
}

/** zip_with(a, b, (x, y) -> …): as long as the longer array, the shorter padded with nulls. */
const zipWith: ScalarFunction = {
  name: "zip_with",
  resolveWithLambdas(args, resolve) {
    checkArity("zip_with", args, 3);
    const a = resolve(args[0]!), b = resolve(args[1]!);
    const [ea, eb] = [arrayElementType("zip_with", [a, b, args[2]!], 0), arrayElementType("zip_with", [a, b, args[2]!], 1)];
    const lambda = resolveLambda("zip_with", args[2]!, [ea, eb], resolve);
    return { args: [a, b, lambda], dataType: ArrayType(lambda.dataType!) };
  },
  resolve: () => { throw new AnalysisError("zip_with needs a lambda function"); },
  evaluate: notHere("lambda function"),
  compile(call, compile) {
    const [a, b] = [compile(call.args[0]!), compile(call.args[1]!)];
    const body = compileLambda(call.args[2]!, compile);
    const [ea, eb] = [0, 1].map((k) => (typeOf(call.args[k]!) as { elementType: DataType }).elementType);
    return (batch, ctx) => {
      const n = batch.numRows;
      const [va, vb] = [a(batch, ctx), b(batch, ctx)];
      const rows: number[] = [], xs: unknown[] = [], ys: unknown[] = [], offsets = [0], nulls: boolean[] = [];
      for (let i = 0; i < n; i++) {
        const [l, r] = [valueAt(va, i) as unknown[] | null, valueAt(vb, i) as unknown[] | null];
        nulls.push(l === null || r === null);
        if (l !== null && r !== null) {
          for (let k = 0; k < Math.max(l.length, r.length); k++) { rows.push(i); xs.push(l[k] ?? null); ys.push(r[k] ?? null); }
        }
        offsets.push(rows.length);
      }
      const results = body(batch, ctx as LambdaContext, Int32Array.from(rows), [vecOf(ea!, xs), vecOf(eb!, ys)]);
      const flat = { rows: Int32Array.from(rows), elements: xs, positions: [], offsets: Int32Array.from(offsets), nulls };
      return vecOf(call.dataType!, Array.from({ length: n }, (_, i) => (nulls[i] ? null : resultsOf(flat, results, i))));
    };
  },
};

/** array_sort(arr[, (l, r) -> int]): without a comparator as array-functions' (nulls last); with one, a stable sort by it. */
const arraySort: ScalarFunction = {
  name: "array_sort",
  resolveWithLambdas(args, resolve) {
    checkArity("array_sort", args, 1, 2);
    const arr = resolve(args[0]!);
    if (args.length === 1) return arraySortAscending.resolve([arr]);
    const elem = arrayElementType("array_sort", [arr, args[1]!], 0);
    const lambda = resolveLambda("array_sort", args[1]!, [elem, elem], resolve);
    if (lambda.dataType!.kind !== "int") throw typeMismatch("array_sort", [arr, lambda], 1, "int");
    return { args: [arr, lambda], dataType: ArrayType(elem) };
  },
  resolve: (args) => arraySortAscending.resolve(args),
  evaluate: (vecs, n, ctx, call) => arraySortAscending.evaluate(vecs, n, ctx, call),
  compile(call, compile): Evaluator {
    const arr = compile(call.args[0]!);
    if (call.args.length === 1) return (batch, ctx) => arraySortAscending.evaluate([arr(batch, ctx)], batch.numRows, ctx, call);
    const body = compileLambda(call.args[1]!, compile);
    const elem = (typeOf(call.args[0]!) as { elementType: DataType }).elementType;
    return (batch, ctx) => {
      const n = batch.numRows, arrays = arr(batch, ctx);
      return vecOf(call.dataType!, Array.from({ length: n }, (_, i) => {
        const list = valueAt(arrays, i) as unknown[] | null;
        if (list === null) return null;
        const row = Int32Array.of(i);
        return [...list].sort((l, r) => {
          const c = valueAt(body(batch, ctx as LambdaContext, row, [vecOf(elem, [l]), vecOf(elem, [r])]), 0);
          if (c === null) throw new ExecutionError("[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a comparison between elements.");
          return c as number;
        });
      }));
    };
  },
};

export const higherOrderFunctions: ScalarFunction[] = [
  lambdaFunction, lambdaVariable,
  elementLambda("transform", (_e, body) => ArrayType(body), resultsOf),
  elementLambda("filter", (elem) => ArrayType(elem), (flat, results, row) => resultsOf(flat, results, row).flatMap((r, k) => (r === true ? [flat.elements[flat.offsets[row]! + k]] : [])), BooleanType),
  elementLambda("exists", () => BooleanType, threeValued(true), BooleanType),
  elementLambda("forall", () => BooleanType, threeValued(false), BooleanType),
  aggregateFunction("aggregate"), aggregateFunction("reduce"),
  zipWith, arraySort,
];
