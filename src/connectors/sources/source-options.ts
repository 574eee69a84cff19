import { ConnectorError } from "../../common/errors.ts";
import { TIME_STRING_HELP, timeStringAsMs } from "./time-string.ts";

/**
 * A source's options, looked up case-insensitively as Spark's `CaseInsensitiveMap`
 * (`option("maxFilesPerTrigger", 1)` and `option("maxfilespertrigger", 1)` are the same).
 */
export class SourceOptions {
  readonly #values = new Map<string, string>();

  constructor(readonly format: string, options: Readonly<Record<string, string>>) {
    for (const [k, v] of Object.entries(options)) this.#values.set(k.toLowerCase(), String(v));
  }

  get(key: string): string | undefined {
    return this.#values.get(key.toLowerCase());
  }

  has(key: string): boolean {
    return this.#values.has(key.toLowerCase());
  }

  getString(key: string, defaultValue: string): string {
    return this.get(key) ?? defaultValue;
  }

  getBoolean(key: string, defaultValue: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const lower = v.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    throw this.#bad(key, v, "true or false");
  }

  /** A number option; `min` bounds it from below (e.g. 1 for maxFilesPerTrigger). */
  getNumber(key: string, defaultValue: number, min = -Infinity): number {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const n = Number(v.trim());
    if (v.trim() === "" || !Number.isFinite(n) || n < min) {
      throw this.#bad(key, v, min === -Infinity ? "a number" : `a number >= ${min}`);
    }
    return n;
  }

  /** A time option in Spark's time string form (maxFileAge "7d"), in milliseconds. */
  getDurationMs(key: string, defaultText: string): number {
    const v = this.get(key) ?? defaultText;
    const ms = timeStringAsMs(v);
    if (ms === null) throw this.#bad(key, v, TIME_STRING_HELP);
    return ms;
  }

  /** A single character option such as `sep` or `quote`; "\t" may be written as an escape. */
  getChar(key: string, defaultValue: string): string {
    const v = this.get(key);
    if (v === undefined) return defaultValue;
    const unescaped = v === "\\t" ? "\t" : v === "\\u0000" ? "\u0000" : v;
    if (unescaped.length !== 1) throw this.#bad(key, v, "a single character");
    return unescaped;
  }

  #bad(key: string, value: string, expected: string): ConnectorError {
    return new ConnectorError(`${this.format} source: option '${key}' must be ${expected}, not '${value}'`);
  }
}

/**
 * The options of a file source with the session time zone as the default of `timeZone`
 * (Spark's JSON and CSV options: zone-less timestamps are read in the session zone; any
 * file source: the zone of `modifiedBefore` / `modifiedAfter`).
 */
export function withTimeZone(format: string, options: Readonly<Record<string, string>>, sessionZone: string): Record<string, string> {
  const f = format.toLowerCase();
  const keys = Object.keys(options).map((k) => k.toLowerCase());
  const needsZone = f === "json" || f === "csv" || keys.includes("modifiedbefore") || keys.includes("modifiedafter");
  if (!needsZone || keys.includes("timezone")) return { ...options };
  return { ...options, timeZone: sessionZone };
}
