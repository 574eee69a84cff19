import { AnalysisError } from "../../common/errors.ts";
import { ArrayType, BooleanType, DecimalType, DoubleType, LongType, StringType, StructType, ddlTypeName, type DataType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { arrayElements, copiedText, endOfValue, objectMembers, skipSpace, valueText } from "../json-raw-text.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import { NOT_JSON, parseJson } from "./parse-json-text.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** One step of a JSON path: a field, an array index, or every element (`[*]`). */
type PathStep = { readonly field: string } | { readonly index: number } | { readonly all: true };

/** `$.a.b[0]['c d'][*]` as steps; null for a path Spark would not take (it then returns null). */
export function parseJsonPath(path: string): PathStep[] | null {
  if (!path.startsWith("$")) return null;
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === ".") {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (m === null) return null;
      steps.push(m[0] === "*" ? { all: true } : { field: m[0] });
      i += 1 + m[0].length;
    } else if (path[i] === "[") {
      const m = /^\[(?:'([^']*)'|(\d+)|(\*))\]/.exec(path.slice(i));
      if (m === null) return null;
      steps.push(m[1] !== undefined ? { field: m[1] } : m[2] !== undefined ? { index: Number(m[2]) } : { all: true });
      i += m[0].length;
    } else {
      return null;
    }
  }
  return steps;
}

/** Where the values `steps` reach start and end in the well-formed JSON `text` (from the value at `i`); `[*]` fans out. */
function follow(text: string, i: number, steps: readonly PathStep[], at: number, found: [number, number][]): void {
  if (at === steps.length) { found.push([i, endOfValue(text, i)]); return; }
  const step = steps[at]!;
  if ("field" in step) {
    if (text[i] !== "{") return;
    for (const [key, start] of objectMembers(text, i)) {
      if (key === step.field) { follow(text, start, steps, at + 1, found); return; }
    }
    return;
  }
  if (text[i] !== "[") return;
  let k = 0;
  for (const [start] of arrayElements(text, i)) {
    if ("all" in step || k === step.index) follow(text, start, steps, at + 1, found);
    if (!("all" in step) && k === step.index) return;
    k++;
  }
}

const pathCache = new Map<string, PathStep[] | null>();

/**
 * `get_json_object(json, path)`: the value at a JSON path (`$.a.b[0]`, `$['a']`, `[*]`) as
 * a string — a string value unquoted, an object or array as JSON; null for malformed JSON,
 * an invalid path, or nothing there (Spark's behaviour).
 */
const getJsonObject: ScalarFunction = {
  name: "get_json_object",
  resolve(args) {
    checkArity("get_json_object", args, 2);
    for (const k of [0, 1]) {
      const t = typeOf(args[k]!);
      if (t.kind !== "string" && t.kind !== "null") throw typeMismatch("get_json_object", args, k, "string");
    }
    return { args, dataType: StringType };
  },
  evaluate: (vecs, n) => mapRows([vecs[0]!, vecs[1]!], n, StringType, ([json, path]) => {
    let steps = pathCache.get(path as string);
    if (steps === undefined) {
      steps = parseJsonPath(path as string);
      if (pathCache.size > 1000) pathCache.clear();
      pathCache.set(path as string, steps);
    }
    if (steps === null) return null;
    const text = json as string;
    try {
      JSON.parse(text);
    } catch {
      return null;
    }
    // Well-formed: the values are read from the text, numbers as Jackson copies them (json-raw-text.ts).
    const found: [number, number][] = [];
    follow(text, skipSpace(text, 0), steps, 0, found);
    if (found.length === 0) return null;
    const wildcard = steps.some((s) => "all" in s);
    if (wildcard && found.length > 1) return `[${found.map(([a, b]) => copiedText(text.slice(a, b))).join(",")}]`;
    return valueText(text.slice(found[0]![0], found[0]![1]));
  }),
};

/** The type Spark infers for a JSON value (JsonInferSchema): integers BIGINT, other numbers DOUBLE, null STRING, object fields sorted. */
function inferType(value: unknown): DataType {
  if (value === null || typeof value === "string") return StringType;
  if (typeof value === "boolean") return BooleanType;
  if (typeof value === "number") return Number.isInteger(value) ? LongType : DoubleType;
  if (typeof value === "bigint") return integerType(value);
  if (Array.isArray(value)) return ArrayType(value.map(inferType).reduce<DataType | null>((a, b) => (a === null ? b : mergeTypes(a, b)), null) ?? StringType);
  const fields = Object.keys(value as object).sort().map((k) => ({ name: k, dataType: inferType((value as Record<string, unknown>)[k]), nullable: true }));
  return new StructType(fields);
}

/** BIGINT as Spark's DecimalType.forType: DECIMAL(20,0). */
const LONG_AS_DECIMAL = DecimalType(20, 0);

/**
 * An integer literal's type as Spark's JSON inference: BIGINT when it fits, else (Jackson's
 * BIG_INTEGER) DECIMAL(digits, 0) up to 38 digits, else DOUBLE.
 */
function integerType(value: bigint): DataType {
  if (BigInt.asIntN(64, value) === value) return LongType;
  const digits = (value < 0n ? -value : value).toString().length;
  return digits <= 38 ? DecimalType(digits, 0) : DoubleType;
}

/** Two inferred types as one (elements of one array): numbers widen to DOUBLE, structs unite their fields, anything else is STRING. */
function mergeTypes(a: DataType, b: DataType): DataType {
  if (a.kind === b.kind && a.kind !== "struct" && a.kind !== "array" && a.kind !== "decimal") return a;
  if (a.kind === "long" && b.kind === "decimal") return mergeTypes(LONG_AS_DECIMAL, b);
  if (a.kind === "decimal" && b.kind === "long") return mergeTypes(a, LONG_AS_DECIMAL);
  if (a.kind === "decimal" && b.kind === "decimal") {
    const scale = Math.max(a.scale, b.scale), digits = Math.max(a.precision - a.scale, b.precision - b.scale) + scale;
    return digits <= 38 ? DecimalType(digits, scale) : DoubleType;
  }
  const numeric = (t: DataType) => t.kind === "long" || t.kind === "double" || t.kind === "decimal";
  if (numeric(a) && numeric(b)) return DoubleType;
  if (a.kind === "array" && b.kind === "array") return ArrayType(mergeTypes(a.elementType, b.elementType));
  if (a.kind === "struct" && b.kind === "struct") {
    const names = [...new Set([...a.fields, ...b.fields].map((f) => f.name))].sort();
    return new StructType(names.map((name) => {
      const fa = a.fields.find((f) => f.name === name), fb = b.fields.find((f) => f.name === name);
      return { name, dataType: fa && fb ? mergeTypes(fa.dataType, fb.dataType) : (fa ?? fb)!.dataType, nullable: true };
    }));
  }
  return StringType;
}

/** `schema_of_json('{"a": 1}')`: the DDL of the type Spark infers from a JSON literal, e.g. `STRUCT<a: BIGINT>`. */
const schemaOfJson: ScalarFunction = {
  name: "schema_of_json",
  resolve(args) {
    if (args.length !== 1 && args.length !== 2) checkArity("schema_of_json", args, 1);
    const json = args[0]!;
    if (json.kind !== "Literal" || typeof json.value !== "string") {
      throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "schema_of_json": the input json should be a foldable "STRING" expression (a string literal)`);
    }
    return { args, dataType: StringType };
  },
  evaluate: (vecs, n, _ctx, call) => {
    const text = (call.args[0]! as { value: string }).value;
    const parsed = parseJson(text);
    if (parsed === NOT_JSON) throw new AnalysisError(`[INVALID_JSON_SCHEMA] schema_of_json: '${text}' is not JSON`);
    const ddl = ddlTypeName(inferType(parsed));
    return mapRows([vecs[0]!], n, StringType, () => ddl);
  },
};

export const jsonPathFunctions: readonly ScalarFunction[] = [getJsonObject, schemaOfJson];
