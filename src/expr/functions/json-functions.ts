import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import type { Expression, Literal } from "../expression.ts";
import { jsonValue } from "../../columnar/json-encoding.ts";
import { TEMPORAL_TEXT_OPTION_NAMES, temporalTextOf } from "../../columnar/temporal-text.ts";
import { JsonTypeMismatch, jsonToInternal } from "../../columnar/json-decoding.ts";
import { NOT_JSON, parseJson } from "./parse-json-text.ts";
import { StringType, typeName, type ArrayType, type DataType, type MapType, type StructType } from "../../types/data-types.ts";
import { parseDataType, parseSchema } from "../../types/ddl.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { zoneOf } from "../eval-context.ts";
import type { ZoneRules } from "../../common/time-zone.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `from_json(jsonStr, 'a INT, b STRING')`: the text parsed into a struct (or an array or a map:
 * `'ARRAY<INT>'`, `'MAP<STRING, INT>'`), PERMISSIVE as
 * Spark: null text gives null; text that is not a JSON object gives a struct of nulls; a
 * field whose value does not fit its type is null and the others are kept (Spark 4's
 * partial results).
 */
const fromJson: ScalarFunction = {
  name: "from_json",
  resolve(args) {
    if (args.length !== 2 && args.length !== 3) checkArity("from_json", args, 2);
    if (args.length === 3) parseMode(args[2]!);
    const input = typeOf(args[0]!);
    if (input.kind !== "string" && input.kind !== "null") throw typeMismatch("from_json", args, 0, "string");
    const schemaArg = args[1]!;
    if (schemaArg.kind !== "Literal" || typeof schemaArg.value !== "string") {
      throw new AnalysisError("[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema of from_json must be a string literal such as 'a INT, b STRING'");
    }
    let schema: DataType;
    try {
      schema = fromDdl(schemaArg.value);
    } catch (error) {
      throw new AnalysisError(`[INVALID_SCHEMA.PARSE_ERROR] The input schema '${schemaArg.value}' of from_json is not a valid schema: ${(error as Error).message}`, { cause: error });
    }
    if (schema.kind !== "struct" && schema.kind !== "array" && schema.kind !== "map") {
      throw new AnalysisError(`[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve "from_json" due to data type mismatch: Input schema "${typeName(schema).toUpperCase()}" must be a struct, an array or a map.`);
    }
    return { args, dataType: schema };
  },
  evaluate: (vecs, n, ctx, call) => {
    const schema = call.dataType!;
    const failFast = call.args.length === 3 && parseMode(call.args[2]!) === "FAILFAST";
    const zone = zoneOf(ctx);
    if (schema.kind === "struct") return mapRows([vecs[0]!], n, schema, ([text]) => parseRecord(text as string, schema, failFast, zone));
    return mapRows([vecs[0]!], n, schema, ([text]) => parseArrayOrMap(text as string, schema as ArrayType | MapType, failFast, zone));
  },
};

/**
 * from_json's options (a map literal: `map('mode', 'FAILFAST')` in SQL, an object in the
 * DataFrame API): `mode` PERMISSIVE (the default) or FAILFAST; any other option is refused
 * by name rather than ignored.
 */
function parseMode(options: Expression): "PERMISSIVE" | "FAILFAST" {
  const entries = optionEntries(options);
  let mode: "PERMISSIVE" | "FAILFAST" = "PERMISSIVE";
  for (const [key, value] of entries) {
    if (key.toLowerCase() !== "mode") throw new AnalysisError(`from_json: option '${key}' is not supported (supported: mode)`);
    const m = value.toUpperCase();
    if (m === "DROPMALFORMED") throw new AnalysisError("[PARSE_MODE_UNSUPPORTED] The function from_json doesn't support the DROPMALFORMED mode. Acceptable modes are PERMISSIVE and FAILFAST.");
    if (m !== "PERMISSIVE" && m !== "FAILFAST") throw new AnalysisError(`from_json: mode '${value}' is not one of PERMISSIVE, FAILFAST`);
    mode = m;
  }
  return mode;
}

/**
 * to_json's options (a map literal, as from_json's): the ones that shape dates and timestamps
 * (timestampFormat, timestampNTZFormat, dateFormat, timeZone); others are refused by name.
 */
function toJsonOptions(options: Expression): Record<string, string> {
  const known = new Map<string, string>(TEMPORAL_TEXT_OPTION_NAMES.map((name) => [name.toLowerCase(), name]));
  const out: Record<string, string> = {};
  for (const [key, value] of optionEntries(options, "to_json")) {
    const name = known.get(key.toLowerCase());
    if (name === undefined) throw new AnalysisError(`to_json: option '${key}' is not supported (supported: ${TEMPORAL_TEXT_OPTION_NAMES.join(", ")})`);
    out[name] = value;
  }
  temporalTextOf(out); // a bad pattern or time zone fails when the query is analysed
  return out;
}

function optionEntries(options: Expression, functionName = "from_json"): [string, string][] {
  if (options.kind === "Call" && options.name === "map" && options.args.every((a) => a.kind === "Literal" && typeof a.value === "string") && options.args.length % 2 === 0) {
    const out: [string, string][] = [];
    for (let i = 0; i < options.args.length; i += 2) out.push([(options.args[i] as Literal).value as string, (options.args[i + 1] as Literal).value as string]);
    return out;
  }
  if (options.kind === "Literal" && options.value instanceof Map) return [...(options.value as Map<string, string>)].map(([k, v]) => [String(k), String(v)]);
  throw new AnalysisError(`[INVALID_OPTIONS.NON_MAP_FUNCTION] ${functionName}: options must be given with map(), e.g. map('${functionName === "to_json" ? "timestampFormat', 'yyyy-MM-dd HH:mm" : "mode', 'FAILFAST"}')`);
}

/**
 * A schema as Spark's DataType.fromDDL reads it: one data type (`ARRAY<INT>`, `MAP<STRING, INT>`,
 * `STRUCT<a: INT>`), else a field list (`a INT, b STRING`).
 */
function fromDdl(text: string): DataType {
  try {
    return parseDataType(text);
  } catch {
    return parseSchema(text);
  }
}

function malformedRecord(text: string): ExecutionError {
  return new ExecutionError(`[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`);
}

/**
 * An ARRAY or MAP schema, as Spark's JacksonParser root converters: a JSON array (or, for an
 * array of structs, one object as a one-element array), a JSON object for a map. Anything else,
 * or a value that does not fit, makes the record malformed: null (PERMISSIVE) or an error.
 */
function parseArrayOrMap(text: string, schema: ArrayType | MapType, failFast: boolean, zone: ZoneRules): unknown {
  const parsed = parseJson(text);
  if (parsed === NOT_JSON || parsed === null || typeof parsed !== "object") return onMalformed(text, failFast, null);
  const asArray = schema.kind === "array" && !Array.isArray(parsed) && schema.elementType.kind === "struct" ? [parsed] : parsed;
  if ((schema.kind === "array") !== Array.isArray(asArray)) return onMalformed(text, failFast, null);
  try {
    return jsonToInternal(asArray, schema, zone);
  } catch (error) {
    if (!(error instanceof JsonTypeMismatch)) throw error;
    return onMalformed(text, failFast, null);
  }
}

function parseRecord(text: string, schema: StructType, failFast: boolean, zone: ZoneRules): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of schema.fields) out[f.name] = null;
  const parsed = parseJson(text);
  if (parsed === NOT_JSON || parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return onMalformed(text, failFast, out);
  const obj = parsed as Record<string, unknown>;
  for (const f of schema.fields) {
    try {
      out[f.name] = jsonToInternal(obj[f.name], f.dataType, zone);
    } catch (error) {
      if (!(error instanceof JsonTypeMismatch)) throw error;
      onMalformed(text, failFast, out);
    }
  }
  return out;
}

/** A malformed record: PERMISSIVE's answer for it, or FAILFAST's error. */
function onMalformed<T>(text: string, failFast: boolean, permissive: T): T {
  if (failFast) throw malformedRecord(text);
  return permissive;
}

/** `to_json(struct | map | array [, options])`: JSON text as Spark writes it (nulls left out of structs, timestamps ISO-8601 in the session time zone). */
const toJson: ScalarFunction = {
  name: "to_json",
  resolve(args) {
    if (args.length === 2) toJsonOptions(args[1]!);
    else checkArity("to_json", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind !== "struct" && t.kind !== "map" && t.kind !== "array") {
      throw new AnalysisError(`[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve "to_json": the input must be a struct, map or array, not ${typeName(t)}`);
    }
    return { args, dataType: StringType };
  },
  evaluate: (vecs, n, ctx, call) => {
    const options = call.args.length === 2 ? toJsonOptions(call.args[1]!) : {};
    const text = temporalTextOf(options, zoneOf(ctx));
    const type = typeOf(call.args[0]!);
    return mapRows([vecs[0]!], n, StringType, ([v]) => jsonValue(v, type, text));
  },
};

export const jsonFunctions: readonly ScalarFunction[] = [fromJson, toJson];
