import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { BooleanType, MapType, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { compileLambda, resolveLambda, vecOf, type LambdaContext } from "../lambda.ts";
import { elementKey } from "./array-functions.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import type { Expression } from "../expression.ts";

/** map_filter, transform_keys, transform_values and map_zip_with: lambdas over a map's (key, value) entries. */

type AnyMap = Map<unknown, unknown>;

function mapType(fn: string, args: readonly Expression[], k: number): { keyType: DataType; valueType: DataType } {
  const t = typeOf(args[k]!);
  if (t.kind !== "map") throw typeMismatch(fn, args, k, "map");
  return t;
}

const lambdaOnly = (name: string) => (): never => { throw new AnalysisError(`${name} needs a lambda function`); };

/** Each row's entries flattened, with the lambda's result per entry; `build` makes the row's map. */
function entryLambda(name: string, result: (t: { keyType: DataType; valueType: DataType }, body: DataType) => DataType,
  build: (entries: [unknown, unknown][], results: unknown[]) => unknown, bodyType?: DataType): ScalarFunction {
  return {
    name,
    resolveWithLambdas(args, resolve) {
      checkArity(name, args, 2);
      const m = resolve(args[0]!);
      const t = mapType(name, [m, args[1]!], 0);
      let lambda = resolveLambda(name, args[1]!, [t.keyType, t.valueType], resolve);
      if (bodyType !== undefined) {
        if (lambda.dataType!.kind !== bodyType.kind && lambda.dataType!.kind !== "null") throw typeMismatch(name, [m, lambda], 1, "boolean");
        lambda = { ...lambda, args: [castIfNeeded(lambda.args[0]!, bodyType), ...lambda.args.slice(1)] };
      }
      return { args: [m, lambda], dataType: result(t, lambda.dataType!) };
    },
    resolve: lambdaOnly(name),
    evaluate: lambdaOnly(name),
    compile(call, compile) {
      const map = compile(call.args[0]!);
      const body = compileLambda(call.args[1]!, compile);
      const t = typeOf(call.args[0]!) as { keyType: DataType; valueType: DataType };
      return (batch, ctx) => {
        const n = batch.numRows, maps = map(batch, ctx);
        const rows: number[] = [], keys: unknown[] = [], values: unknown[] = [], offsets = [0];
        const all: (AnyMap | null)[] = [];
        for (let i = 0; i < n; i++) {
          const m = valueAt(maps, i) as AnyMap | null;
          all.push(m);
          if (m !== null) for (const [k, v] of m) { rows.push(i); keys.push(k); values.push(v); }
          offsets.push(rows.length);
        }
        const results: Vec = body(batch, ctx as LambdaContext, Int32Array.from(rows), [vecOf(t.keyType, keys), vecOf(t.valueType, values)]);
        return vecOf(call.dataType!, all.map((m, i) => {
          if (m === null) return null;
          const entries: [unknown, unknown][] = [], out: unknown[] = [];
          for (let e = offsets[i]!; e < offsets[i + 1]!; e++) { entries.push([keys[e], values[e]]); out.push(valueAt(results, e)); }
          return build(entries, out);
        }));
      };
    },
  };
}

/** A map from entries, failing on a null or duplicate key as Spark's mapKeyDedupPolicy=EXCEPTION. */
function buildMap(entries: Iterable<[unknown, unknown]>): AnyMap {
  const out: AnyMap = new Map(), seen = new Set<unknown>();
  for (const [k, v] of entries) {
    if (k === null) throw new ExecutionError("[NULL_MAP_KEY] Cannot use null as map key.");
    const key = elementKey(k);
    if (seen.has(key)) throw new ExecutionError(`[DUPLICATED_MAP_KEY] Duplicate map key ${String(k)} was found, please check the input data.`);
    seen.add(key);
    out.set(k, v);
  }
  return out;
}

/** map_zip_with(m1, m2, (k, v1, v2) -> …): over the union of keys (m1's first), a missing value is null. */
const mapZipWith: ScalarFunction = {
  name: "map_zip_with",
  resolveWithLambdas(args, resolve) {
    checkArity("map_zip_with", args, 3);
    const [a, b] = [resolve(args[0]!), resolve(args[1]!)];
    const [ta, tb] = [mapType("map_zip_with", [a, b, args[2]!], 0), mapType("map_zip_with", [a, b, args[2]!], 1)];
    const key = widerType(ta.keyType, tb.keyType);
    if (key === null) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES] Cannot resolve "map_zip_with" due to data type mismatch: Input to the map_zip_with should have been two maps with compatible key types, but it's ["${ta.keyType.kind.toUpperCase()}", "${tb.keyType.kind.toUpperCase()}"].`);
    }
    const lambda = resolveLambda("map_zip_with", args[2]!, [key, ta.valueType, tb.valueType], resolve);
    return { args: [castIfNeeded(a, MapType(key, ta.valueType)), castIfNeeded(b, MapType(key, tb.valueType)), lambda], dataType: MapType(key, lambda.dataType!) };
  },
  resolve: lambdaOnly("map_zip_with"),
  evaluate: lambdaOnly("map_zip_with"),
  compile(call, compile) {
    const [a, b] = [compile(call.args[0]!), compile(call.args[1]!)];
    const body = compileLambda(call.args[2]!, compile);
    const [ta, tb] = [typeOf(call.args[0]!), typeOf(call.args[1]!)] as { keyType: DataType; valueType: DataType }[];
    return (batch, ctx) => {
      const n = batch.numRows, [va, vb] = [a(batch, ctx), b(batch, ctx)];
      const rows: number[] = [], keys: unknown[] = [], v1: unknown[] = [], v2: unknown[] = [], offsets = [0], nulls: boolean[] = [];
      for (let i = 0; i < n; i++) {
        const [ma, mb] = [valueAt(va, i) as AnyMap | null, valueAt(vb, i) as AnyMap | null];
        nulls.push(ma === null || mb === null);
        if (ma !== null && mb !== null) {
          const byKey = new Map<unknown, [unknown, unknown, unknown]>();
          for (const [k, v] of ma) byKey.set(elementKey(k), [k, v, null]);
          for (const [k, v] of mb) { const e = byKey.get(elementKey(k)); if (e) e[2] = v; else byKey.set(elementKey(k), [k, null, v]); }
          for (const [k, x, y] of byKey.values()) { rows.push(i); keys.push(k); v1.push(x); v2.push(y); }
        }
        offsets.push(rows.length);
      }
      const results = body(batch, ctx as LambdaContext, Int32Array.from(rows), [vecOf(ta!.keyType, keys), vecOf(ta!.valueType, v1), vecOf(tb!.valueType, v2)]);
      return vecOf(call.dataType!, Array.from({ length: n }, (_, i) => {
        if (nulls[i]) return null;
        const out: AnyMap = new Map();
        for (let e = offsets[i]!; e < offsets[i + 1]!; e++) out.set(keys[e], valueAt(results, e));
        return out;
      }));
    };
  },
};

export const mapHigherOrderFunctions: ScalarFunction[] = [
  entryLambda("map_filter", (t) => MapType(t.keyType, t.valueType), (entries, keep) => new Map(entries.filter((_, k) => keep[k] === true)), BooleanType),
  entryLambda("transform_keys", (t, body) => MapType(body, t.valueType), (entries, keys) => buildMap(entries.map(([, v], k) => [keys[k], v]))),
  entryLambda("transform_values", (t, body) => MapType(t.keyType, body), (entries, values) => new Map(entries.map(([key], k) => [key, values[k]]))),
  mapZipWith,
];
