import { AnalysisError } from "../../common/errors.ts";
import { jsonValue } from "../../columnar/json-encoding.ts";
import { JsonTypeMismatch, jsonToInternal } from "../../columnar/json-decoding.ts";
import { StringType, typeName, type StructType } from "../../types/data-types.ts";
import { parseSchema } from "../../types/ddl.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `from_json(jsonStr, 'a INT, b STRING')`: the text parsed into a struct, PERMISSIVE as
 * Spark: null text gives null; text that is not a JSON object gives a struct of nulls; a
 * field whose value does not fit its type is null and the others are kept (Spark 4's
 * partial results).
 */
const fromJson: ScalarFunction = {
  name: "from_json",
  resolve(args) {
    if (args.length !== 2 && args.length !== 3) checkArity("from_json", args, 2);
    if (args.length === 3) throw new AnalysisError("from_json: options are not supported; PERMISSIVE mode is always used");
    const input = typeOf(args[0]!);
    if (input.kind !== "string" && input.kind !== "null") throw typeMismatch("from_json", args, 0, "string");
    const schemaArg = args[1]!;
    if (schemaArg.kind !== "Literal" || typeof schemaArg.value !== "string") {
      throw new AnalysisError("[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema of from_json must be a string literal such as 'a INT, b STRING'");
    }
    let schema: StructType;
    try {
      schema = parseSchema(schemaArg.value);
    } catch (error) {
      throw new AnalysisError(`[INVALID_SCHEMA.PARSE_ERROR] The input schema '${schemaArg.value}' of from_json is not a valid schema: ${(error as Error).message}`, { cause: error });
    }
    return { args, dataType: schema };
  },
  evaluate: (vecs, n, _ctx, call) => {
    const schema = call.dataType as StructType;
    return mapRows([vecs[0]!], n, schema, ([text]) => parseRecord(text as string, schema));
  },
};

function parseRecord(text: string, schema: StructType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of schema.fields) out[f.name] = null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return out;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return out;
  const obj = parsed as Record<string, unknown>;
  for (const f of schema.fields) {
    try {
      out[f.name] = jsonToInternal(obj[f.name], f.dataType);
    } catch (error) {
      if (!(error instanceof JsonTypeMismatch)) throw error;
    }
  }
  return out;
}

/** `to_json(struct | map | array)`: JSON text as Spark writes it (nulls left out of structs, timestamps ISO-8601 UTC). */
const toJson: ScalarFunction = {
  name: "to_json",
  resolve(args) {
    if (args.length === 2) throw new AnalysisError("to_json: options are not supported");
    checkArity("to_json", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind !== "struct" && t.kind !== "map" && t.kind !== "array") {
      throw new AnalysisError(`[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve "to_json": the input must be a struct, map or array, not ${typeName(t)}`);
    }
    return { args, dataType: StringType };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows([vecs[0]!], n, StringType, ([v]) => jsonValue(v, typeOf(call.args[0]!))),
};

export const jsonFunctions: readonly ScalarFunction[] = [fromJson, toJson];
