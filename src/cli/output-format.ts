import type { DataFrame } from "../api/dataset.ts";

export const OUTPUT_FORMATS = ["table", "json", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A collected value as JSON shows it: timestamps ISO-8601, big integers exact, binary base64. */
export function jsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(jsonValue(k)), jsonValue(x)]));
  if (Array.isArray(v)) return v.map(jsonValue);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

/** RFC 4180: quoted when it holds a separator, a quote or a line break; nested values as JSON. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const j = jsonValue(v);
  const text = typeof j === "string" ? j : typeof j === "object" ? JSON.stringify(j) : String(j);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A batch DataFrame's rows in a format: `table` as Spark's show() (untruncated, up to
 * `maxRows`), `json` one object per line (as Spark writes JSON), `csv` with a header line.
 */
export async function formatResult(df: DataFrame, format: OutputFormat, maxRows: number): Promise<string> {
  if (format === "table") return (await df.showString(maxRows, false)).replace(/\n*$/, "\n");
  const rows = (await df.limit(maxRows).collect()) as Record<string, unknown>[];
  if (format === "json") return rows.map((r) => JSON.stringify(jsonValue(r)) + "\n").join("");
  const columns = df.columns;
  return [columns.map(csvCell).join(","), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(","))].join("\n") + "\n";
}
