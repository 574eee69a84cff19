import { ExecutionError } from "../../common/errors.ts";
import { ArrayType, BooleanType, MapType, StringType, StructType, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { elementKey } from "./array-functions.ts";
import { checkArity, coerceArg, typeMismatch, wrongNumArgs } from "./function-args.ts";
import { cachedRegExp } from "./string-functions.ts";
import { javaSplit } from "./java-regex.ts";
import type { Expression } from "../expression.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * map_keys, map_values, map_entries, map_contains_key, map_concat, map_from_arrays,
 * map_from_entries and str_to_map. Building a map fails on a null key or a duplicate key,
 * as Spark's default spark.sql.mapKeyDedupPolicy=EXCEPTION.
 */

type AnyMap = Map<unknown, unknown>;

function mapArg(fn: string, args: readonly Expression[], k: number): { keyType: DataType; valueType: DataType } {
  const t = typeOf(args[k]!);
  if (t.kind !== "map") throw typeMismatch(fn, args, k, "map");
  return t;
}

/** Adds an entry to a map being built, with Spark's null-key and duplicate-key errors. */
function put(out: AnyMap, seen: Set<unknown>, key: unknown, value: unknown): void {
  if (key === null) throw new ExecutionError("[NULL_MAP_KEY] Cannot use null as map key.");
  const k = elementKey(key);
  if (seen.has(k)) throw new ExecutionError(`[DUPLICATED_MAP_KEY] Duplicate map key ${String(key)} was found, please check the input data.`);
  seen.add(k);
  out.set(key, value);
}

function unaryMap(name: string, result: (t: { keyType: DataType; valueType: DataType }) => DataType, f: (m: AnyMap) => unknown): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1);
      return { args, dataType: result(mapArg(name, args, 0)) };
    },
    evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([m]) => f(m as AnyMap)),
  };
}

const entryType = (t: { keyType: DataType; valueType: DataType }): StructType =>
  new StructType([{ name: "key", dataType: t.keyType, nullable: false }, { name: "value", dataType: t.valueType, nullable: true }]);

const mapContainsKey: ScalarFunction = {
  name: "map_contains_key",
  resolve(args) {
    checkArity("map_contains_key", args, 2);
    const t = mapArg("map_contains_key", args, 0);
    return { args: [args[0]!, castIfNeeded(args[1]!, t.keyType)], dataType: BooleanType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, BooleanType, ([m, k]) => {
    const key = elementKey(k);
    for (const x of (m as AnyMap).keys()) if (elementKey(x) === key) return true;
    return false;
  }),
};

/** map_concat(m1, m2, …): null if any map is null; a key in two maps fails. */
const mapConcat: ScalarFunction = {
  name: "map_concat",
  resolve(args) {
    if (args.length === 0) return { args, dataType: MapType(StringType, StringType) };
    let t: DataType = mapArg("map_concat", args, 0) as DataType;
    args.forEach((_, k) => {
      const w = widerType(t, mapArg("map_concat", args, k) as DataType);
      if (w === null) throw typeMismatch("map_concat", args, k, "map");
      t = w;
    });
    return { args: args.map((a) => castIfNeeded(a, t)), dataType: t };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, (maps) => {
    const out: AnyMap = new Map(), seen = new Set<unknown>();
    for (const m of maps as AnyMap[]) for (const [k, v] of m) put(out, seen, k, v);
    return out;
  }),
};

const mapFromArrays: ScalarFunction = {
  name: "map_from_arrays",
  resolve(args) {
    checkArity("map_from_arrays", args, 2);
    const [k, v] = [typeOf(args[0]!), typeOf(args[1]!)];
    if (k.kind !== "array") throw typeMismatch("map_from_arrays", args, 0, "array");
    if (v.kind !== "array") throw typeMismatch("map_from_arrays", args, 1, "array");
    return { args, dataType: MapType(k.elementType, v.elementType) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([ks, vs]) => {
    const keys = ks as unknown[], values = vs as unknown[];
    if (keys.length !== values.length) throw new ExecutionError("[INVALID_PARAMETER_VALUE] map_from_arrays: the key array and the value array should have the same length.");
    const out: AnyMap = new Map(), seen = new Set<unknown>();
    keys.forEach((k, i) => put(out, seen, k, values[i]));
    return out;
  }),
};

/** map_from_entries(array<struct<k, v>>): null when an entry is null. */
const mapFromEntries: ScalarFunction = {
  name: "map_from_entries",
  resolve(args) {
    checkArity("map_from_entries", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind !== "array" || t.elementType.kind !== "struct" || t.elementType.fields.length !== 2) throw typeMismatch("map_from_entries", args, 0, "array<struct<key, value>>");
    const [k, v] = t.elementType.fields;
    return { args, dataType: MapType(k!.dataType, v!.dataType) };
  },
  evaluate: (vecs, n, _ctx, call) => {
    const [kf, vf] = ((typeOf(call.args[0]!) as { elementType: StructType }).elementType).fields.map((f) => f.name);
    return mapRows(vecs, n, call.dataType!, ([entries]) => {
      const out: AnyMap = new Map(), seen = new Set<unknown>();
      for (const e of entries as (Record<string, unknown> | null)[]) {
        if (e === null) return null;
        put(out, seen, e[kf!], e[vf!]);
      }
      return out;
    });
  },
};

/** str_to_map(text[, pairDelim = ',', keyValueDelim = ':']): the delimiters are regexes; a missing value is null. */
const strToMap: ScalarFunction = {
  name: "str_to_map",
  resolve(args) {
    if (args.length < 1 || args.length > 3) throw wrongNumArgs("str_to_map", args.length, 1, 3);
    return { args: args.map((_, k) => coerceArg("str_to_map", args, k, StringType)), dataType: MapType(StringType, StringType) };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, MapType(StringType, StringType), ([text, pairDelim = ",", kvDelim = ":"]) => {
    const out: AnyMap = new Map(), seen = new Set<unknown>();
    const pair = cachedRegExp(pairDelim as string), kv = cachedRegExp(kvDelim as string);
    for (const p of javaSplit(text as string, pair, pairDelim === "", -1)) {
      const [k, v] = javaSplit(p, kv, kvDelim === "", 2);
      put(out, seen, k, v ?? null);
    }
    return out;
  }),
};

export const mapOperationFunctions: ScalarFunction[] = [
  unaryMap("map_keys", (t) => ArrayType(t.keyType), (m) => [...m.keys()]),
  unaryMap("map_values", (t) => ArrayType(t.valueType), (m) => [...m.values()]),
  unaryMap("map_entries", (t) => ArrayType(entryType(t)), (m) => [...m].map(([key, value]) => ({ key, value }))),
  mapContainsKey, mapConcat, mapFromArrays, mapFromEntries, strToMap,
];
