import type { DataFrame } from "../api/dataset.ts";
import { ConfKeys } from "../common/config.ts";
import { UTC, zoneRules, type ZoneRules } from "../common/time-zone.ts";
import { dateTimeFormatter } from "../columnar/datetime-format.ts";

export const OUTPUT_FORMATS = ["table", "json", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Spark's JSON and CSV writers' default timestampFormat, applied in the session time zone. */
const TIMESTAMP_FORMAT = dateTimeFormatter("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

/**
 * A collected value as JSON shows it: timestamps ISO-8601 as the session zone's clocks show
 * them (`…Z` in UTC, `…-08:00` in Los Angeles, as Spark's JSON writer), big integers exact,
 * binary base64.
 */
export function jsonValue(v: unknown, zone: ZoneRules = UTC): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return zone === UTC ? v.toISOString() : TIMESTAMP_FORMAT.format(v.getTime() * 1000, zone);
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(jsonValue(k, zone)), jsonValue(x, zone)]));
  if (Array.isArray(v)) return v.map((x) => jsonValue(x, zone));
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x, zone)]));
  return v;
}

/** RFC 4180: quoted when it holds a separator, a quote or a line break; nested values as JSON. */
export function csvCell(v: unknown, zone: ZoneRules = UTC): string {
  if (v === null || v === undefined) return "";
  const j = jsonValue(v, zone);
  const text = typeof j === "string" ? j : typeof j === "object" ? JSON.stringify(j) : String(j);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A batch DataFrame's rows in a format: `table` as Spark's show() (untruncated, up to
 * `maxRows`), `json` one object per line (as Spark writes JSON), `csv` with a header line.
 */
export async function formatResult(df: DataFrame, format: OutputFormat, maxRows: number): Promise<string> {
  if (format === "table") return (await df.showString(maxRows, false)).replace(/\n*$/, "\n");
  const zone = zoneRules(df.sparkSession.conf.get(ConfKeys.sessionTimeZone) ?? "UTC");
  const rows = (await df.limit(maxRows).collect()) as Record<string, unknown>[];
  if (format === "json") return rows.map((r) => JSON.stringify(jsonValue(r, zone)) + "\n").join("");
  const columns = df.columns;
  return [columns.map((c) => csvCell(c)).join(","), ...rows.map((r) => columns.map((c) => csvCell(r[c], zone)).join(","))].join("\n") + "\n";
}
