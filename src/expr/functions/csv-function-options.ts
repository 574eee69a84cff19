import { dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";
import type { CsvWriteOptions } from "../../columnar/csv-encoding.ts";
import type { CsvInferOptions } from "../../columnar/csv-infer-type.ts";
import type { CsvSyntax } from "../../columnar/csv-tokenizer.ts";
import { temporalTextOf } from "../../columnar/temporal-text.ts";
import { AnalysisError } from "../../common/errors.ts";
import { zoneRules, type ZoneRules } from "../../common/time-zone.ts";
import type { Expression, Literal } from "../expression.ts";

/**
 * The options map of from_csv, to_csv and schema_of_csv (`map('sep', ';')` in SQL, an
 * object in the DataFrame API), read as Spark's CSVOptions: keys case-insensitive,
 * options a function does not use ignored, as Spark ignores them.
 */
export class CsvFunctionOptions {
  readonly #values = new Map<string, string>();

  private constructor(readonly fn: string, entries: readonly [string, string][]) {
    for (const [k, v] of entries) this.#values.set(k.toLowerCase(), v);
  }

  /** The options of a call's options argument (absent: none). */
  static of(fn: string, options: Expression | undefined): CsvFunctionOptions {
    return new CsvFunctionOptions(fn, options === undefined ? [] : optionEntries(fn, options));
  }

  get(key: string): string | undefined {
    return this.#values.get(key.toLowerCase());
  }

  #char(key: string, defaultValue: string): string {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    if (v === "") return "\u0000";
    const unescaped = v === "\\t" ? "\t" : v;
    if (unescaped.length !== 1) throw new AnalysisError(`${this.fn}: option '${key}' must be a single character, not '${v}'`);
    return unescaped;
  }

  #boolean(key: string, defaultValue: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const lower = v.trim().toLowerCase();
    if (lower !== "true" && lower !== "false") throw new AnalysisError(`${this.fn}: option '${key}' must be true or false, not '${v}'`);
    return lower === "true";
  }

  #pattern(key: string): DateTimeFormatter | null {
    const v = this.get(key);
    if (v === undefined) return null;
    try {
      return dateTimeFormatter(v, true);
    } catch (e) {
      throw new AnalysisError(`${this.fn}: option '${key}' is not a valid datetime pattern: ${(e as Error).message}`, { cause: e });
    }
  }

  /** The zone of zone-less timestamps: the timeZone option, else the session's. */
  zone(sessionZone: ZoneRules): ZoneRules {
    const id = this.get("timeZone");
    if (id === undefined) return sessionZone;
    try {
      return zoneRules(id);
    } catch (e) {
      throw new AnalysisError(`[INVALID_TIMEZONE] The timezone: ${id} (option timeZone) is invalid.`, { cause: e });
    }
  }

  /** How text splits into fields (sep or delimiter, quote, escape, whitespace trimming). */
  syntax(): CsvSyntax {
    const sep = this.get("sep") ?? this.get("delimiter");
    return {
      sep: sep === undefined ? "," : sep === "\\t" ? "\t" : sep,
      quote: this.#char("quote", '"'),
      escape: this.#char("escape", "\\"),
      ignoreLeadingWhiteSpace: this.#boolean("ignoreLeadingWhiteSpace", false),
      ignoreTrailingWhiteSpace: this.#boolean("ignoreTrailingWhiteSpace", false),
    };
  }

  /** How a field's text becomes a value (and, for schema_of_csv, which type it has). */
  values(sessionZone: ZoneRules): CsvInferOptions {
    return {
      nullValue: this.get("nullValue") ?? "",
      emptyValue: this.get("emptyValue") ?? "",
      nanValue: this.get("nanValue") ?? "NaN",
      positiveInf: this.get("positiveInf") ?? "Inf",
      negativeInf: this.get("negativeInf") ?? "-Inf",
      zone: this.zone(sessionZone),
      dateFormat: this.#pattern("dateFormat"),
      timestampFormat: this.#pattern("timestampFormat"),
      timestampNTZFormat: this.#pattern("timestampNTZFormat"),
      preferDate: this.#boolean("preferDate", true),
    };
  }

  /** from_csv's mode: PERMISSIVE (the default) or FAILFAST, as Spark's CsvToStructs. */
  mode(): "PERMISSIVE" | "FAILFAST" {
    const v = this.get("mode");
    if (v === undefined) return "PERMISSIVE";
    const m = v.trim().toUpperCase();
    if (m === "DROPMALFORMED") {
      throw new AnalysisError(`[PARSE_MODE_UNSUPPORTED] The function ${this.fn} doesn't support the DROPMALFORMED mode. Acceptable modes are PERMISSIVE and FAILFAST.`);
    }
    if (m !== "PERMISSIVE" && m !== "FAILFAST") throw new AnalysisError(`${this.fn}: mode '${v}' is not one of PERMISSIVE, FAILFAST`);
    return m;
  }

  /** to_csv's writer settings (Spark's defaults for writing: trimmed values, `""` for an empty string). */
  writer(sessionZone: ZoneRules): CsvWriteOptions {
    const temporal: Record<string, string> = {};
    for (const name of ["timestampFormat", "timestampNTZFormat", "dateFormat", "timeZone"]) {
      const v = this.get(name);
      if (v !== undefined) temporal[name] = v;
    }
    return {
      sep: this.get("sep") ?? this.get("delimiter") ?? ",",
      header: false,
      temporalText: temporalTextOf(temporal, sessionZone),
      nullValue: this.get("nullValue") ?? "",
      emptyValue: this.get("emptyValue") ?? '""',
      quote: this.#char("quote", '"'),
      escape: this.#char("escape", "\\"),
      quoteAll: this.#boolean("quoteAll", false),
      escapeQuotes: this.#boolean("escapeQuotes", true),
      ignoreLeadingWhiteSpace: this.#boolean("ignoreLeadingWhiteSpace", true),
      ignoreTrailingWhiteSpace: this.#boolean("ignoreTrailingWhiteSpace", true),
    };
  }
}

function optionEntries(fn: string, options: Expression): [string, string][] {
  if (options.kind === "Call" && options.name === "map" && options.args.length % 2 === 0 && options.args.every((a) => a.kind === "Literal" && typeof a.value === "string")) {
    const out: [string, string][] = [];
    for (let i = 0; i < options.args.length; i += 2) out.push([(options.args[i] as Literal).value as string, (options.args[i + 1] as Literal).value as string]);
    return out;
  }
  if (options.kind === "Literal" && options.value instanceof Map) return [...(options.value as Map<unknown, unknown>)].map(([k, v]) => [String(k), String(v)]);
  throw new AnalysisError(`[INVALID_OPTIONS.NON_MAP_FUNCTION] ${fn}: options must be given with map(), e.g. map('sep', ';')`);
}
