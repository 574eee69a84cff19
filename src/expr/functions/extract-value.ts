import { AnalysisError } from "../../common/errors.ts";
import { IntegerType, typeName, type StructType } from "../../types/data-types.ts";
import { structField, type Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { mapValueOf } from "./collection-functions.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `x[i]` in SQL and `col.getItem(i)` (Spark's ExtractValue, non-ANSI): an array's element at
 * the 0-based index (null outside the array, negative indices included), a map's value for
 * the key (null when absent), a struct's field named by a string literal. Named as Spark
 * names it: `arr[0]`, `m[k]`.
 */
const subscript: ScalarFunction = {
  name: "subscript",
  display: ([container, key]) => `${container}[${key}]`,
  resolve(args) {
    checkArity("subscript", args, 2);
    const t = typeOf(args[0]!);
    if (t.kind === "array") return { args: [args[0]!, coerceArg("subscript", args, 1, IntegerType)], dataType: t.elementType };
    if (t.kind === "map") return { args: [args[0]!, castIfNeeded(args[1]!, t.keyType)], dataType: t.valueType };
    if (t.kind === "struct") return { args, dataType: t.fields[structFieldIndex(args[1]!, t)]!.dataType };
    throw new AnalysisError(`[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from ${typeName(t).toUpperCase()}: need a complex type (STRUCT, ARRAY, MAP)`);
  },
  evaluate: (vecs, n, _ctx, call) => {
    const container = vecs[0]!;
    if (container.kind === "struct") return structField(container, structFieldIndex(call.args[1]!, container.type));
    return typeOf(call.args[0]!).kind === "array" ? arrayItems(vecs, n, call.dataType!) : mapValues(vecs, n, call.dataType!);
  },
};

/** get(array, index): Spark 3.4's 0-based element, null outside the array. */
const get: ScalarFunction = {
  name: "get",
  resolve(args) {
    checkArity("get", args, 2);
    if (typeOf(args[0]!).kind !== "array") throw typeMismatch("get", args, 0, "array");
    return subscript.resolve(args);
  },
  evaluate: (vecs, n, _ctx, call) => arrayItems(vecs, n, call.dataType!),
};

function arrayItems(vecs: readonly Vec[], n: number, type: Parameters<typeof mapRows>[2]): Vec {
  return mapRows(vecs, n, type, ([a, i]) => {
    const arr = a as unknown[];
    const at = i as number;
    return at >= 0 && at < arr.length ? arr[at] : null;
  });
}

function mapValues(vecs: readonly Vec[], n: number, type: Parameters<typeof mapRows>[2]): Vec {
  return mapRows(vecs, n, type, ([m, key]) => mapValueOf(m as Map<unknown, unknown>, key));
}

/** Spark's FIELD_NOT_FOUND: the field and the struct's fields as SQL identifiers. */
export function fieldNotFound(name: string, type: StructType): AnalysisError {
  const id = (n: string): string => `\`${n.replace(/`/g, "``")}\``;
  return new AnalysisError(`[FIELD_NOT_FOUND] No such struct field ${id(name)} in ${type.fields.map((f) => id(f.name)).join(", ")}.`);
}

/** The field a string literal names, matched as Spark's resolver does (case-insensitively). */
function structFieldIndex(key: Parameters<ScalarFunction["resolve"]>[0][number], type: StructType): number {
  if (key.kind !== "Literal" || typeof key.value !== "string") {
    throw new AnalysisError(`[INVALID_EXTRACT_FIELD_TYPE] Field name should be a non-null string literal, but it's ${key.kind === "Literal" ? String(key.value) : "an expression"}`);
  }
  const name = key.value;
  let index = type.fields.findIndex((f) => f.name === name);
  if (index < 0) index = type.fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
  if (index < 0) {
    throw fieldNotFound(name, type);
  }
  return index;
}


export const extractValueFunctions: readonly ScalarFunction[] = [subscript, get];
