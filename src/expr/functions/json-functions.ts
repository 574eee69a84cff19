import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { JsonTypeMismatch, jsonToInternal } from "../../columnar/json-decoding.ts";
import { ddlTypeName, typeName, type ArrayType, type DataType, type MapType, type StructType } from "../../types/data-types.ts";
import { parseDataType, parseSchema } from "../../types/ddl.ts";
import type { ZoneRules } from "../../common/time-zone.ts";
import { UTC } from "../../common/time-zone.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { zoneOf } from "../eval-context.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import { fromJsonOptions, type FromJsonOptions } from "./json-function-options.ts";
import { JsonTextError, readJsonText } from "./json-text-reader.ts";
import { toJson } from "./to-json.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `from_json(jsonStr, 'a INT, b STRING' [, options])`: the text parsed into a struct (or an
 * array or a map: `'ARRAY<INT>'`, `'MAP<STRING, INT>'`), as Spark's JsonToStructs. PERMISSIVE
 * (the default): null text gives null; text that is not a JSON object gives a struct of
 * nulls; a field whose value does not fit its type is null and the others are kept (Spark
 * 4's partial results); a string field named by columnNameOfCorruptRecord (default
 * `_corrupt_record`) receives a malformed record's text. FAILFAST: an error instead.
 */
const fromJson: ScalarFunction = {
  name: "from_json",
  resolve(args) {
    if (args.length !== 2 && args.length !== 3) checkArity("from_json", args, 2);
    const options = fromJsonOptions(args[2]);
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
    const corrupt = schema.kind === "struct" ? schema.fields.find((f) => f.name === options.corruptRecordColumn) : undefined;
    if (corrupt !== undefined && corrupt.dataType.kind !== "string") {
      throw new AnalysisError(`[INVALID_CORRUPT_RECORD_TYPE] The column \`${corrupt.name}\` for corrupt records must have the nullable STRING type, but got ${ddlTypeName(corrupt.dataType).toUpperCase()}.`);
    }
    return { args, dataType: schema };
  },
  evaluate: (vecs, n, ctx, call) => {
    const schema = call.dataType!;
    const options = fromJsonOptions(call.args[2]);
    const reader = new JsonRecordReader(options, options.zone ?? zoneOf(ctx));
    if (schema.kind === "struct") return mapRows([vecs[0]!], n, schema, ([text]) => reader.record(text as string, schema));
    return mapRows([vecs[0]!], n, schema, ([text]) => reader.arrayOrMap(text as string, schema as ArrayType | MapType));
  },
};

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

/** 16 digits in a row: maybe an integer beyond 2^53, which JSON.parse would round. */
const LONG_DIGIT_RUN = /\d{16}/;
const MICROS_PER_DAY = 86_400_000_000;
const NOT_JSON = Symbol("not JSON");

class JsonRecordReader {
  readonly #patterned: boolean;
  constructor(readonly options: FromJsonOptions, readonly zone: ZoneRules) {
    this.#patterned = options.timestampFormat !== null || options.dateFormat !== null || options.timestampNtzFormat !== null;
  }

  /** The text's one JSON value, or NOT_JSON. JSON.parse is the fast path: what it accepts, Spark's parser accepts under any options. */
  parse(text: string): unknown {
    if (!LONG_DIGIT_RUN.test(text)) {
      try {
        return JSON.parse(text);
      } catch {
        // Spark's leniencies, below
      }
    }
    try {
      return readJsonText(text, this.options.features);
    } catch (error) {
      if (error instanceof JsonTextError) return NOT_JSON;
      throw error;
    }
  }

  record(text: string, schema: StructType): Record<string, unknown> | null {
    if (isBlank(text)) return null;
    const corrupt = this.options.corruptRecordColumn;
    const out: Record<string, unknown> = {};
    for (const f of schema.fields) out[f.name] = null;
    const malformed = (): Record<string, unknown> => {
      if (this.options.mode === "FAILFAST") throw malformedRecord(text);
      if (Object.hasOwn(out, corrupt)) out[corrupt] = text;
      return out;
    };
    const parsed = this.parse(text);
    if (parsed === NOT_JSON || parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return malformed();
    const obj = parsed as Record<string, unknown>;
    let bad = false;
    for (const f of schema.fields) {
      if (f.name === corrupt && f.dataType.kind === "string") continue;
      try {
        out[f.name] = Object.hasOwn(obj, f.name) ? this.convert(obj[f.name], f.dataType) : null;
      } catch (error) {
        if (!(error instanceof JsonTypeMismatch)) throw error;
        bad = true;
      }
    }
    return bad ? malformed() : out;
  }

  /**
   * An ARRAY or MAP schema, as Spark's JacksonParser root converters: a JSON array (or, for an
   * array of structs, one object as a one-element array), a JSON object for a map. Anything else,
   * or a value that does not fit, makes the record malformed.
   */
  arrayOrMap(text: string, schema: ArrayType | MapType): unknown {
    if (isBlank(text)) return null;
    const malformed = (): null => {
      if (this.options.mode === "FAILFAST") throw malformedRecord(text);
      return null;
    };
    const parsed = this.parse(text);
    if (parsed === NOT_JSON || parsed === null || typeof parsed !== "object") return malformed();
    const asArray = schema.kind === "array" && !Array.isArray(parsed) && schema.elementType.kind === "struct" ? [parsed] : parsed;
    if ((schema.kind === "array") !== Array.isArray(asArray)) return malformed();
    try {
      return this.convert(asArray, schema);
    } catch (error) {
      if (!(error instanceof JsonTypeMismatch)) throw error;
      return malformed();
    }
  }

  /** A JSON value as `type`: dates and timestamps through the options' patterns where set (strict, as Spark's), the rest as the JSON reader converts them. */
  convert(value: unknown, type: DataType): unknown {
    if (!this.#patterned || value === null || value === undefined) return jsonToInternal(value, type, this.zone);
    switch (type.kind) {
      case "timestamp": case "timestamp_ntz": case "date": {
        const formatter = type.kind === "timestamp" ? this.options.timestampFormat : type.kind === "date" ? this.options.dateFormat : this.options.timestampNtzFormat;
        if (formatter === null) return jsonToInternal(value, type, this.zone);
        const micros = typeof value === "string" ? formatter.parse(value, type.kind === "timestamp" ? this.zone : UTC) : null;
        if (micros === null) throw new JsonTypeMismatch(`cannot parse ${JSON.stringify(value)} as ${typeName(type)} with the pattern '${formatter.pattern}'`);
        return type.kind === "date" ? Math.floor(micros / MICROS_PER_DAY) : micros;
      }
      case "struct": {
        if (typeof value !== "object" || Array.isArray(value)) return jsonToInternal(value, type, this.zone);
        const obj = value as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const f of type.fields) out[f.name] = Object.hasOwn(obj, f.name) ? this.convert(obj[f.name], f.dataType) : null;
        return out;
      }
      case "array":
        return Array.isArray(value) ? value.map((v) => this.convert(v, type.elementType)) : jsonToInternal(value, type, this.zone);
      case "map": {
        if (typeof value !== "object" || Array.isArray(value)) return jsonToInternal(value, type, this.zone);
        const out = new Map<unknown, unknown>();
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.set(this.convert(k, type.keyType), this.convert(v, type.valueType));
        return out;
      }
      default: return jsonToInternal(value, type, this.zone);
    }
  }
}

function malformedRecord(text: string): ExecutionError {
  return new ExecutionError(`[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`);
}

export const jsonFunctions: readonly ScalarFunction[] = [fromJson, toJson];

/**
 * Empty or JSON-whitespace-only text holds no record: Spark's JacksonParser finds no token and
 * from_json gives NULL in every mode (not a row of nulls, and no FAILFAST error).
 */
function isBlank(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}
