import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { ArrayType, BooleanType, IntegerType, NullType, StringType, StructType, typeName, type DataType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { mapRows, numVec } from "../vec-ops.ts";
import { compareValues } from "./comparison.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import { LAMBDA_VARIABLE } from "../lambda.ts";

const isComplex = (t: DataType): boolean => t.kind === "struct" || t.kind === "array" || t.kind === "map";

/** Spark's findWiderCommonType for array(…) elements: numeric widening, and atomic values with strings become strings. */
function commonElementType(fn: string, args: readonly Expression[]): DataType {
  let t: DataType = NullType;
  args.forEach((a, k) => {
    const u = typeOf(a);
    const w = widerType(t, u)
      ?? ((t.kind === "string" && !isComplex(u)) || (u.kind === "string" && !isComplex(t)) ? StringType : null);
    if (w === null) throw new AnalysisError(`cannot resolve '${fn}': input to function ${fn} should all be the same type, but argument ${k + 1} is ${typeName(u)} where ${typeName(t)} was expected`);
    t = w;
  });
  return t;
}

/** Spark's `size`: elements of an array or entries of a map; -1 for null (spark.sql.legacy.sizeOfNull). */
const size: ScalarFunction = {
  name: "size",
  aliases: ["cardinality"],
  nullIntolerant: false,
  resolve(args) {
    checkArity("size", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind !== "array" && t.kind !== "map" && t.kind !== "null") throw typeMismatch("size", args, 0, "array or map");
    return { args, dataType: IntegerType };
  },
  evaluate([v], n) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x = v!.valid !== null && v!.valid[i] === 0 ? null : v!.kind === "obj" ? v!.values[i] : null;
      out[i] = x === null || x === undefined ? -1 : x instanceof Map ? x.size : (x as unknown[]).length;
    }
    return numVec(IntegerType, out, null);
  },
};

/** array_contains(arr, v): true when found; null when not found but the array holds a null. */
const arrayContains: ScalarFunction = {
  name: "array_contains",
  resolve(args) {
    checkArity("array_contains", args, 2);
    const t = typeOf(args[0]!);
    if (t.kind !== "array") throw typeMismatch("array_contains", args, 0, "array");
    const elem = widerType(t.elementType, typeOf(args[1]!));
    if (elem === null) {
      throw new AnalysisError(`cannot resolve 'array_contains': the value ${typeName(typeOf(args[1]!))} must be of the array's element type ${typeName(t.elementType)}`);
    }
    return { args: [castIfNeeded(args[0]!, ArrayType(elem)), castIfNeeded(args[1]!, elem)], dataType: BooleanType };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, BooleanType, ([arr, x]) => {
    let sawNull = false;
    for (const e of arr as unknown[]) {
      if (e === null) sawNull = true;
      else if (e === x || compareValues(e, x) === 0) return true;
    }
    return sawNull ? null : false;
  }),
};

/** A map's value for `key`, or null: keys equal as values but not as JS values (bigints, decimals) match too. */
export function mapValueOf(map: ReadonlyMap<unknown, unknown>, key: unknown): unknown {
  if (map.has(key)) return map.get(key);
  for (const [k, v] of map) if (compareValues(k, key) === 0) return v;
  return null;
}

/** element_at(array, index) with 1-based indices, negative from the end; element_at(map, key). */
const elementAt: ScalarFunction = {
  name: "element_at",
  resolve(args) {
    checkArity("element_at", args, 2);
    const t = typeOf(args[0]!);
    if (t.kind === "array") return { args: [args[0]!, coerceArg("element_at", args, 1, IntegerType)], dataType: t.elementType };
    if (t.kind === "map") return { args: [args[0]!, castIfNeeded(args[1]!, t.keyType)], dataType: t.valueType };
    throw typeMismatch("element_at", args, 0, "array or map");
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([c, k]) => {
    if (c instanceof Map) return mapValueOf(c, k);
    const arr = c as unknown[];
    const i = k as number;
    if (i === 0) throw new ExecutionError("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).");
    const at = i > 0 ? i - 1 : arr.length + i;
    return at >= 0 && at < arr.length ? arr[at] : null;
  }),
};

const array: ScalarFunction = {
  name: "array",
  nullIntolerant: false,
  resolve(args) {
    const elem = commonElementType("array", args);
    return { args: args.map((a) => castIfNeeded(a, elem)), dataType: ArrayType(elem) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, (vals) => vals.slice(), false),
};

/** The field name struct(…) gives an argument: the column, alias or lambda variable name, else col1, col2… */
function fieldName(e: Expression, k: number): string {
  switch (e.kind) {
    case "ColumnRef": return e.name;
    case "Alias": return e.name;
    case "GetField": return e.field;
    // A lambda variable is named as written (`x`), not by its unique id (`x#7`), as Spark's NamedLambdaVariable.
    case "Call":
      if (e.name === LAMBDA_VARIABLE && e.args[0]?.kind === "Literal") return String(e.args[0].value).replace(/#\d+$/, "");
      return `col${k + 1}`;
    default: return `col${k + 1}`;
  }
}

function structOf(names: readonly string[], values: readonly Expression[]): StructType {
  return new StructType(values.map((v, k) => ({ name: names[k]!, dataType: typeOf(v), nullable: true })));
}

/** A struct is never null; its fields are the argument vectors themselves. */
function evaluateStruct(vecs: readonly Vec[], n: number, type: StructType): Vec {
  return { kind: "struct", type, length: n, children: vecs, valid: null };
}

const struct: ScalarFunction = {
  name: "struct",
  nullIntolerant: false,
  resolve: (args) => ({ args, dataType: structOf(args.map(fieldName), args) }),
  evaluate: (vecs, n, _ctx, call) => evaluateStruct(vecs, n, call.dataType as StructType),
};

const namedStruct: ScalarFunction = {
  name: "named_struct",
  nullIntolerant: false,
  resolve(args) {
    if (args.length === 0 || args.length % 2 !== 0) {
      throw new AnalysisError(`[WRONG_NUM_ARGS] named_struct requires an even number of arguments (name, value pairs), got ${args.length}`);
    }
    const names: string[] = [], values: Expression[] = [];
    for (let k = 0; k < args.length; k += 2) {
      const name = args[k]!;
      if (name.kind !== "Literal" || typeof name.value !== "string") {
        throw new AnalysisError(`named_struct: the field name at argument ${k + 1} must be a string literal`);
      }
      names.push(name.value);
      values.push(args[k + 1]!);
    }
    return { args, dataType: structOf(names, values) };
  },
  evaluate: (vecs, n, _ctx, call) => evaluateStruct(vecs.filter((_, k) => k % 2 === 1), n, call.dataType as StructType),
};

export const collectionFunctions: ScalarFunction[] = [size, arrayContains, elementAt, array, struct, namedStruct];
