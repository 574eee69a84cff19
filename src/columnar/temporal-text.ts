import { UTC, zoneRules, type ZoneRules } from "../common/time-zone.ts";
import { AnalysisError } from "../common/errors.ts";
import { dateTimeFormatter, type DateTimeFormatter } from "./datetime-format.ts";
import { formatDate, formatTimestamp } from "./temporal.ts";

/**
 * How the JSON and CSV writers (file sinks, `df.write`, `to_json`) turn dates and timestamps
 * into text: Spark's `timestampFormat` (default `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`),
 * `timestampNTZFormat` and `dateFormat` options, applied in the `timeZone` option's zone,
 * else the session time zone, as Spark's JSONOptions/CSVOptions.
 */
export interface TemporalText {
  timestamp(micros: number): string;
  timestampNtz(micros: number): string;
  date(days: number): string;
}

/** The writer options that shape temporal text (case-insensitive keys, as Spark's options). */
export interface TemporalTextOptions {
  readonly timestampFormat?: string;
  readonly timestampNTZFormat?: string;
  readonly dateFormat?: string;
  readonly timeZone?: string;
}

export const TEMPORAL_TEXT_OPTION_NAMES = ["timestampFormat", "timestampNTZFormat", "dateFormat", "timeZone"] as const;

const DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const DEFAULT_DATE_FORMAT = "yyyy-MM-dd";

/** `2026-01-01T10:00:00.000Z`: the default format in UTC, without the pattern interpreter (the common case). */
function isoMillisUtc(micros: number): string {
  const text = formatTimestamp(Math.floor(micros / 1000) * 1000);
  const dot = text.indexOf(".", 19);
  const base = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? "" : text.slice(dot + 1);
  return `${base.slice(0, 10)}T${base.slice(11)}.${frac.padEnd(3, "0")}Z`;
}

/** Spark's defaults in UTC. */
export const UTC_TEMPORAL_TEXT: TemporalText = {
  timestamp: isoMillisUtc,
  timestampNtz: (micros) => isoMillisUtc(micros).slice(0, -1),
  date: formatDate,
};

/**
 * The temporal text of a writer: `options` (case-insensitive names) over `sessionZone`.
 * A pattern Spark would refuse fails here, before anything is written.
 */
export function temporalTextOf(options: Readonly<Record<string, string>>, sessionZone: ZoneRules = UTC): TemporalText {
  const get = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === lower) return v;
    return undefined;
  };
  const zoneId = get("timeZone");
  const zone = zoneId === undefined ? sessionZone : zoneOption(zoneId);
  const timestampPattern = get("timestampFormat");
  const ntzPattern = get("timestampNTZFormat");
  const datePattern = get("dateFormat");
  if (zone === UTC && timestampPattern === undefined && ntzPattern === undefined && datePattern === undefined) return UTC_TEMPORAL_TEXT;
  const timestamp = dateTimeFormatter(timestampPattern ?? DEFAULT_TIMESTAMP_FORMAT);
  const ntz: DateTimeFormatter | null = ntzPattern === undefined ? null : dateTimeFormatter(ntzPattern);
  const date: DateTimeFormatter | null = datePattern === undefined || datePattern === DEFAULT_DATE_FORMAT ? null : dateTimeFormatter(datePattern);
  return {
    timestamp: (micros) => timestamp.format(micros, zone),
    // A timestamp without a time zone is a wall-clock time: formatted as if in UTC.
    timestampNtz: ntz === null ? UTC_TEMPORAL_TEXT.timestampNtz : (micros) => ntz.format(micros, UTC),
    date: date === null ? formatDate : (days) => date.format(days * 86_400_000_000, UTC),
  };
}

function zoneOption(id: string): ZoneRules {
  try {
    return zoneRules(id);
  } catch (error) {
    throw new AnalysisError(`[INVALID_TIMEZONE] The timezone: ${id} (option timeZone) is invalid. The timezone must be either a region-based zone ID or a zone offset, such as 'America/Los_Angeles', '+01:00' or 'UTC'.`, { cause: error });
  }
}
