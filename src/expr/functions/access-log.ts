import { IntegerType, LongType, StringType, StructType, TimestampType } from "../../types/data-types.ts";

/** The fields of an Apache combined (or common) log line, as `parse_access_log` returns them. */
export const ACCESS_LOG_TYPE = new StructType([
  { name: "ip", dataType: StringType, nullable: true },
  { name: "ident", dataType: StringType, nullable: true },
  { name: "user", dataType: StringType, nullable: true },
  { name: "timestamp", dataType: TimestampType, nullable: true },
  { name: "method", dataType: StringType, nullable: true },
  { name: "url", dataType: StringType, nullable: true },
  { name: "protocol", dataType: StringType, nullable: true },
  { name: "status", dataType: IntegerType, nullable: true },
  { name: "bytes", dataType: LongType, nullable: true },
  { name: "referer", dataType: StringType, nullable: true },
  { name: "agent", dataType: StringType, nullable: true },
]);

/** A parsed line; `timestampMicros` is µs since the epoch (the engine's timestamp). */
export interface AccessLogFields {
  readonly ip: string;
  readonly ident: string;
  readonly user: string;
  readonly timestamp: number;
  readonly method: string | null;
  readonly url: string | null;
  readonly protocol: string | null;
  readonly status: number;
  readonly bytes: number | null;
  readonly referer: string | null;
  readonly agent: string | null;
}

// %h %l %u %t "%r" %>s %b ["%{Referer}i" "%{User-agent}i"]
const LINE = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?\s*$/;
const REQUEST = /^(\S+) (\S+)(?: (\S+))?$/;
const TIME = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `[dd/MMM/yyyy:HH:mm:ss Z]` → µs since the epoch, or null. */
export function parseAccessLogTime(text: string): number | null {
  const m = TIME.exec(text);
  if (m === null) return null;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0) return null;
  const [day, year, h, min, s] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return null;
  if (new Date(Date.UTC(year, month, day)).getUTCMonth() !== month) return null; // 31/Feb
  const offsetMinutes = (m[7] === "-" ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  return (Date.UTC(year, month, day, h, min, s) - offsetMinutes * 60_000) * 1000;
}

const unquote = (s: string): string => s.replace(/\\(.)/g, "$1");

/**
 * Parses one Apache access-log line (combined format, or common format without referer
 * and agent); null when it is not one. `bytes` "-" is null; a request line that is not
 * "METHOD URL [PROTOCOL]" (such as "-") gives null method, url and protocol.
 */
export function parseAccessLogFields(line: string): AccessLogFields | null {
  const m = LINE.exec(line);
  if (m === null) return null;
  const timestamp = parseAccessLogTime(m[4]!);
  if (timestamp === null) return null;
  const request = REQUEST.exec(unquote(m[5]!));
  return {
    ip: m[1]!, ident: m[2]!, user: m[3]!, timestamp,
    method: request?.[1] ?? null, url: request?.[2] ?? null, protocol: request?.[3] ?? null,
    status: Number(m[6]), bytes: m[7] === "-" ? null : Number(m[7]),
    referer: m[8] === undefined ? null : unquote(m[8]), agent: m[9] === undefined ? null : unquote(m[9]),
  };
}

/** The JS API: like the SQL function, with the timestamp as a Date. */
export function parseAccessLog(line: string): (Omit<AccessLogFields, "timestamp"> & { timestamp: Date }) | null {
  const f = parseAccessLogFields(line);
  return f === null ? null : { ...f, timestamp: new Date(f.timestamp / 1000) };
}
