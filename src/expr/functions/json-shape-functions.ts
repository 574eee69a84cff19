import { ArrayType, IntegerType, StringType } from "../../types/data-types.ts";
import { defineFunction } from "./define-function.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** json_array_length, json_object_keys (the shape of a JSON string's outermost value). */

function parsed(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

/** json_array_length(json): the elements of the outermost array; null when it is not a valid JSON array. */
const jsonArrayLength = defineFunction({
  name: "json_array_length", types: [StringType], result: IntegerType,
  f: (s: string) => { const p = parsed(s); return p.ok && Array.isArray(p.value) ? p.value.length : null; },
});

/** json_object_keys(json): the outermost object's keys in order; null when it is not a valid JSON object. */
const jsonObjectKeys = defineFunction({
  name: "json_object_keys", types: [StringType], result: ArrayType(StringType),
  f: (s: string) => {
    const p = parsed(s);
    return p.ok && p.value !== null && typeof p.value === "object" && !Array.isArray(p.value) ? Object.keys(p.value as object) : null;
  },
});

export const jsonShapeFunctions: ScalarFunction[] = [jsonArrayLength, jsonObjectKeys];
