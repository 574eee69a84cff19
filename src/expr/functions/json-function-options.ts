import { AnalysisError } from "../../common/errors.ts";
import { dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";
import { zoneRules, type ZoneRules } from "../../common/time-zone.ts";
import type { Expression, Literal } from "../expression.ts";
import { DEFAULT_JSON_READER_FEATURES, type JsonReaderFeatures } from "./json-text-reader.ts";

/**
 * The options of from_json and to_json (a map literal: `map('mode', 'FAILFAST')` in SQL, an
 * object in the DataFrame API), by Spark's JSONOptions names, case-insensitive. Options of the
 * JSON data source that do not concern one value (multiLine, samplingRatio, encoding…) are
 * accepted and have no effect, as in Spark; a name Spark does not know is refused rather than
 * ignored, so a typo does not pass silently.
 */

const READER_FEATURES = Object.keys(DEFAULT_JSON_READER_FEATURES) as (keyof JsonReaderFeatures)[];
const TEMPORAL = ["timestampFormat", "timestampNTZFormat", "dateFormat", "timeZone"];
const WITHOUT_EFFECT = [
  "samplingRatio", "primitivesAsString", "prefersDecimal", "dropFieldIfAllNull", "locale", "enableDateTimeParsingFallback",
  "multiLine", "lineSep", "encoding", "charset", "inferTimestamp", "compression", "writeNonAsciiCharacterAsCodePoint", "allowLeadingPlusSign",
];
const FROM_JSON_OPTIONS = [...READER_FEATURES, ...TEMPORAL, ...WITHOUT_EFFECT, "mode", "columnNameOfCorruptRecord", "ignoreNullFields", "pretty"];
const TO_JSON_OPTIONS = [...TEMPORAL, ...WITHOUT_EFFECT, ...READER_FEATURES, "ignoreNullFields", "pretty", "mode", "columnNameOfCorruptRecord"];

/** Spark's spark.sql.columnNameOfCorruptRecord default. */
const DEFAULT_CORRUPT_RECORD_COLUMN = "_corrupt_record";

export interface FromJsonOptions {
  readonly mode: "PERMISSIVE" | "FAILFAST";
  /** The string field that receives a malformed record's text (PERMISSIVE). */
  readonly corruptRecordColumn: string;
  readonly features: JsonReaderFeatures;
  /** Strict patterns when set (Spark parses the default ISO forms leniently). */
  readonly timestampFormat: DateTimeFormatter | null;
  readonly timestampNtzFormat: DateTimeFormatter | null;
  readonly dateFormat: DateTimeFormatter | null;
  /** The timeZone option's zone, else null (the session's). */
  readonly zone: ZoneRules | null;
}

export interface ToJsonOptions {
  /** spark.sql.jsonGenerator.ignoreNullFields (default true): null struct fields left out. */
  readonly ignoreNullFields: boolean;
  /** Jackson's default pretty printer. */
  readonly pretty: boolean;
  /** The temporal options, by their canonical names (temporal-text.ts reads them). */
  readonly temporal: Readonly<Record<string, string>>;
}

/** The options map of a call as [name, value] pairs, as written. */
export function optionEntries(options: Expression, functionName: string): [string, string][] {
  if (options.kind === "Call" && options.name === "map" && options.args.every((a) => a.kind === "Literal" && typeof a.value === "string") && options.args.length % 2 === 0) {
    const out: [string, string][] = [];
    for (let i = 0; i < options.args.length; i += 2) out.push([(options.args[i] as Literal).value as string, (options.args[i + 1] as Literal).value as string]);
    return out;
  }
  if (options.kind === "Literal" && options.value instanceof Map) return [...(options.value as Map<string, string>)].map(([k, v]) => [String(k), String(v)]);
  throw new AnalysisError(`[INVALID_OPTIONS.NON_MAP_FUNCTION] ${functionName}: options must be given with map(), e.g. map('${functionName === "to_json" ? "timestampFormat', 'yyyy-MM-dd HH:mm" : "mode', 'FAILFAST"}')`);
}

/** The options by canonical name; an unknown name is refused. */
function canonicalOptions(options: Expression | undefined, functionName: string, known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (options === undefined) return out;
  const byLower = new Map(known.map((name) => [name.toLowerCase(), name]));
  for (const [key, value] of optionEntries(options, functionName)) {
    const name = byLower.get(key.toLowerCase());
    if (name === undefined) throw new AnalysisError(`${functionName}: option '${key}' is not a JSON option Spark knows (e.g. ${known.slice(0, 8).join(", ")}, …)`);
    out.set(name, value);
  }
  return out;
}

function booleanOption(options: ReadonlyMap<string, string>, name: string, defaultValue: boolean): boolean {
  const v = options.get(name);
  if (v === undefined) return defaultValue;
  // Scala's String.toBoolean.
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new AnalysisError(`[INVALID_OPTIONS] The value '${v}' of the option '${name}' is not a boolean (true or false).`);
}

function patternOption(options: ReadonlyMap<string, string>, name: string): DateTimeFormatter | null {
  const pattern = options.get(name);
  if (pattern === undefined) return null;
  try {
    return dateTimeFormatter(pattern, true);
  } catch (error) {
    throw new AnalysisError(`from_json: option '${name}' is not a valid datetime pattern: ${(error as Error).message}`, { cause: error });
  }
}

function zoneOption(options: ReadonlyMap<string, string>): ZoneRules | null {
  const id = options.get("timeZone");
  if (id === undefined) return null;
  try {
    return zoneRules(id);
  } catch (error) {
    throw new AnalysisError(`[INVALID_TIMEZONE] The timezone: ${id} (option timeZone) is invalid. The timezone must be either a region-based zone ID or a zone offset, such as 'America/Los_Angeles', '+01:00' or 'UTC'.`, { cause: error });
  }
}

const fromJsonCache = new WeakMap<Expression, FromJsonOptions>();

/** from_json's options (`options` absent: the defaults); checked when the call is resolved. */
export function fromJsonOptions(options: Expression | undefined): FromJsonOptions {
  const cached = options === undefined ? undefined : fromJsonCache.get(options);
  if (cached !== undefined) return cached;
  const o = canonicalOptions(options, "from_json", FROM_JSON_OPTIONS);
  const mode = (o.get("mode") ?? "PERMISSIVE").toUpperCase();
  if (mode === "DROPMALFORMED") throw new AnalysisError("[PARSE_MODE_UNSUPPORTED] The function `from_json` doesn't support the DROPMALFORMED mode. Acceptable modes are PERMISSIVE and FAILFAST.");
  if (mode !== "PERMISSIVE" && mode !== "FAILFAST") throw new AnalysisError(`from_json: mode '${o.get("mode")}' is not one of PERMISSIVE, FAILFAST`);
  const features = Object.fromEntries(READER_FEATURES.map((name) => [name, booleanOption(o, name, DEFAULT_JSON_READER_FEATURES[name])])) as unknown as JsonReaderFeatures;
  const parsed: FromJsonOptions = {
    mode,
    corruptRecordColumn: o.get("columnNameOfCorruptRecord") ?? DEFAULT_CORRUPT_RECORD_COLUMN,
    features,
    timestampFormat: patternOption(o, "timestampFormat"),
    timestampNtzFormat: patternOption(o, "timestampNTZFormat"),
    dateFormat: patternOption(o, "dateFormat"),
    zone: zoneOption(o),
  };
  if (options !== undefined) fromJsonCache.set(options, parsed);
  return parsed;
}

/** Whether the reader needs more than JSON.parse's grammar plus Spark's defaults. */
export function hasNonDefaultFeatures(features: JsonReaderFeatures): boolean {
  return READER_FEATURES.some((name) => features[name] !== DEFAULT_JSON_READER_FEATURES[name]);
}

/** to_json's options (`options` absent: the defaults). */
export function toJsonOptions(options: Expression | undefined): ToJsonOptions {
  const o = canonicalOptions(options, "to_json", TO_JSON_OPTIONS);
  const temporal: Record<string, string> = {};
  for (const name of TEMPORAL) { const v = o.get(name); if (v !== undefined) temporal[name] = v; }
  return { ignoreNullFields: booleanOption(o, "ignoreNullFields", true), pretty: booleanOption(o, "pretty", false), temporal };
}
