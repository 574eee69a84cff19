import { AnalysisError } from "../../common/errors.ts";
import { jsonString, jsonValue } from "../../columnar/json-encoding.ts";
import { formatCell, formatDouble, formatFloat, formatLong } from "../../columnar/show-string.ts";
import { formatDecimal } from "../../columnar/decimal-values.ts";
import { temporalTextOf, type TemporalText } from "../../columnar/temporal-text.ts";
import { BooleanType, MapType, StringType, typeName, type DataType } from "../../types/data-types.ts";
import { activeConf } from "../../common/config.ts";
import { jsonIgnoreNullFields } from "../../common/spark-sql-conf.ts";
import { Literal, type Expression } from "../expression.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { zoneOf } from "../eval-context.ts";
import { checkArity } from "./function-args.ts";
import { optionEntries, toJsonOptions, type ToJsonOptions } from "./json-function-options.ts";
import { unsafeRowText } from "./unsafe-row-text.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `to_json(struct | map | array [, options])`: JSON text as Spark's JacksonGenerator writes it.
 * Null struct fields are left out (ignoreNullFields, default true) or written as null;
 * `pretty` uses Jackson's default pretty printer; timestamps and dates follow the
 * timestampFormat/dateFormat/timeZone options. A map's keys are written as Spark names them,
 * by the key's internal value's toString: a struct key is its UnsafeRow text.
 */
export const toJson: ScalarFunction = {
  name: "to_json",
  // The session's ignoreNullFields=false rides as a hidden third argument (see sessionIgnoreNullFields): not shown.
  display: (args) => `to_json(${(args.length === 3 ? (args[1] === NO_OPTIONS_SHOWN ? args.slice(0, 1) : args.slice(0, 2)) : args).join(", ")})`,
  resolve(args) {
    if (args.length === 3 && isSessionFlag(args[2]!)) return { args, dataType: StringType };
    if (args.length === 2) temporalTextOf(toJsonOptions(args[1]!).temporal);
    else checkArity("to_json", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind !== "struct" && t.kind !== "map" && t.kind !== "array") {
      throw new AnalysisError(`[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] Cannot resolve "to_json": the input must be a struct, map or array, not ${typeName(t)}`);
    }
    return { args: sessionIgnoreNullFields(args), dataType: StringType };
  },
  evaluate: (vecs, n, ctx, call) => {
    const given = toJsonOptions(call.args[1]);
    const options = call.args.length === 3 ? { ...given, ignoreNullFields: false } : given;
    const text = temporalTextOf(options.temporal, zoneOf(ctx));
    const type = typeOf(call.args[0]!);
    const writer = new JsonWriter(options, text);
    return mapRows([vecs[0]!], n, StringType, ([v]) => writer.write(v, type, 0));
  },
};

/**
 * Spark's JSONOptions: ignoreNullFields is the option, else the session's
 * spark.sql.jsonGenerator.ignoreNullFields, read when the call is analysed. When the session
 * says false and the call does not say, the call gets a third argument, `false`, so the
 * setting travels with the plan (to worker threads too); the options slot holds an empty map when none.
 */
function sessionIgnoreNullFields(args: readonly Expression[]): readonly Expression[] {
  if (jsonIgnoreNullFields(activeConf())) return args;
  if (args.length === 2 && optionEntries(args[1]!, "to_json").some(([k]) => k.toLowerCase() === "ignorenullfields")) return args;
  return [args[0]!, args[1] ?? NO_OPTIONS, Literal.create(false, BooleanType)];
}

/** The options slot of a call that gave none (a null would make the call null-intolerant's null). */
const NO_OPTIONS = Literal.create(new Map<string, string>(), MapType(StringType, StringType));
/** How display shows NO_OPTIONS (a map literal as Spark prints one). */
const NO_OPTIONS_SHOWN = "{}";

function isSessionFlag(e: Expression): boolean {
  return e.kind === "Literal" && e.value === false && e.dataType?.kind === "boolean";
}

class JsonWriter {
  constructor(readonly options: ToJsonOptions, readonly text: TemporalText) {}

  /** `value` as JSON; `depth` counts the objects around it (Jackson's pretty printer indents by them, not by arrays). */
  write(value: unknown, type: DataType, depth: number): string {
    if (value === null || value === undefined) return "null";
    switch (type.kind) {
      case "struct": {
        const obj = value as Record<string, unknown>;
        const entries: [string, string][] = [];
        for (const f of type.fields) {
          const v = obj[f.name];
          if (v === null || v === undefined) { if (!this.options.ignoreNullFields) entries.push([f.name, "null"]); continue; }
          entries.push([f.name, this.write(v, f.dataType, depth + 1)]);
        }
        return this.object(entries, depth);
      }
      case "map": {
        const entries = [...(value as Map<unknown, unknown>)].map(([k, v]): [string, string] => [mapKeyText(k, type.keyType), this.write(v, type.valueType, depth + 1)]);
        return this.object(entries, depth);
      }
      case "array": {
        const items = (value as unknown[]).map((v) => this.write(v, type.elementType, depth));
        if (!this.options.pretty) return `[${items.join(",")}]`;
        return items.length === 0 ? "[ ]" : `[ ${items.join(", ")} ]`;
      }
      default: return jsonValue(value, type, this.text);
    }
  }

  private object(entries: readonly [string, string][], depth: number): string {
    if (!this.options.pretty) return `{${entries.map(([k, v]) => `${jsonString(k)}:${v}`).join(",")}}`;
    if (entries.length === 0) return "{ }";
    const inner = "\n" + "  ".repeat(depth + 1);
    return `{${entries.map(([k, v]) => `${inner}${jsonString(k)} : ${v}`).join(",")}\n${"  ".repeat(depth)}}`;
  }
}

/**
 * The toString of a key's internal value, as JacksonGenerator.writeMapData names the field:
 * dates as their day number and timestamps as microseconds (Spark writes the internal
 * Int and Long), a struct as its UnsafeRow.
 */
function mapKeyText(key: unknown, type: DataType): string {
  switch (type.kind) {
    case "string": return key as string;
    case "struct": return unsafeRowText(key as Record<string, unknown>, type);
    case "double": return formatDouble(key as number);
    case "float": return formatFloat(key as number);
    case "decimal": return formatDecimal(key as bigint, type.scale);
    case "long": case "timestamp": case "timestamp_ntz": case "interval_dt": return formatLong(key as number);
    case "interval": return formatCell(key, type);
    default: return String(key);
  }
}
