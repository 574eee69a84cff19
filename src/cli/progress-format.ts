import type { StreamingQueryProgress } from "../execution/progress.ts";

/** A backlog of input being caught up: `done` of `total` units (files) read. */
export interface Backlog {
  readonly done: number;
  readonly total: number;
  readonly unit: string;
}

/** What one status line shows about a query's latest batch. */
export interface ProgressSummary {
  readonly name: string;
  readonly id: string;
  readonly batchId: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly batchDurationMs: number;
  readonly watermark: string | null;
  readonly stateRows: number | null;
  readonly rowsWritten: number;
  readonly totalRowsWritten: number;
  readonly backlog: Backlog | null;
}

export function summarize(p: StreamingQueryProgress, totalRowsWritten: number, backlog: Backlog | null): ProgressSummary {
  const state = p.stateOperators.length === 0 ? null : p.stateOperators.reduce((n, o) => n + o.numRowsTotal, 0);
  return {
    name: p.name ?? p.id,
    id: p.id,
    batchId: p.batchId,
    numInputRows: p.numInputRows,
    inputRowsPerSecond: p.inputRowsPerSecond,
    processedRowsPerSecond: p.processedRowsPerSecond,
    batchDurationMs: p.batchDuration,
    watermark: p.eventTime.watermark ?? null,
    stateRows: state,
    rowsWritten: p.sink.numOutputRows,
    totalRowsWritten,
    backlog,
  };
}

/** 1234567 → "1.23M", 950 → "950". */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return "-";
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return abs >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}

/** "2026-01-01T10:00:00.000Z" → "2026-01-01 10:00:00"; the epoch (no watermark yet) → "-". */
export function shortTime(iso: string | null): string {
  if (iso === null || iso.startsWith("1970-01-01T00:00:00")) return "-";
  return iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "");
}

export function progressBar(b: Backlog, width = 20): string {
  const ratio = b.total <= 0 ? 1 : Math.min(1, b.done / b.total);
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${b.done}/${b.total} ${b.unit} ${Math.floor(ratio * 100)}%`;
}

/** The status line of a query, as the terminal shows it (TTY and plain log lines alike). */
export function statusLine(s: ProgressSummary): string {
  const parts = [
    `${s.name}`,
    `batch ${s.batchId}`,
    `in ${compactNumber(s.inputRowsPerSecond)} rows/s`,
    `processed ${compactNumber(s.processedRowsPerSecond)} rows/s`,
    `duration ${duration(s.batchDurationMs)}`,
    `watermark ${shortTime(s.watermark)}`,
    `state ${s.stateRows === null ? "-" : compactNumber(s.stateRows)} rows`,
    `written ${compactNumber(s.rowsWritten)} (total ${compactNumber(s.totalRowsWritten)})`,
  ];
  if (s.backlog !== null && s.backlog.done < s.backlog.total) parts.push(`catching up ${progressBar(s.backlog)}`);
  return parts.join(" | ");
}
