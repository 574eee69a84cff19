import { AnalysisError, InternalError } from "../common/errors.ts";
import { parseDuration } from "../common/duration.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { EvalContext } from "./eval-context.ts";
import { SessionWindow, type Expression } from "./expression.ts";
import type { Evaluator } from "./compile.ts";

/**
 * session_window(timeColumn, gapDuration), shared by the DataFrame function and SQL: a
 * constant gap (a duration string or a day-time INTERVAL) or a gap read per row from an
 * expression (strings or day-time intervals).
 */
export function sessionWindow(timeColumn: Expression, gap: string | Expression): SessionWindow {
  if (typeof gap === "string") return SessionWindow.create(timeColumn, null, parseDuration(gap, "gapDuration"));
  if (gap.kind === "Literal" && typeof gap.value === "string") return SessionWindow.create(timeColumn, null, parseDuration(gap.value, "gapDuration"));
  // INTERVAL 5 MINUTES: a day-time interval literal holds its µs.
  if (gap.kind === "Literal" && gap.dataType?.kind === "interval_dt" && gap.value !== null) return SessionWindow.create(timeColumn, null, Number(gap.value));
  if (gap.kind === "Literal" && gap.value === null) {
    throw new AnalysisError("session_window(): the gap duration must not be NULL");
  }
  return SessionWindow.create(timeColumn, gap, 0);
}

/** Each row's own session, before merging: [start, end) where `valid` is 1. */
export interface SessionBounds {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** 0 for rows in no session: a null time, or a gap that is null, unparsable, zero or negative. */
  readonly valid: Uint8Array;
  readonly length: number;
}

/**
 * Compiles the per-row session bounds of `e`: start = the event time, end = start + gap.
 * Per-row gaps are parsed once per distinct string of a batch's dictionary.
 */
export function compileSessionBounds(
  e: SessionWindow,
  compile: (e: Expression) => Evaluator,
): (batch: ColumnBatch, ctx: EvalContext) => SessionBounds {
  const time = compile(e.timeColumn);
  const gapOf = e.gap === null ? null : compile(e.gap);
  const parsed = new Map<string, number>();
  const parseGap = (text: string): number => {
    let micros = parsed.get(text);
    if (micros === undefined) {
      try { micros = parseDuration(text, "gapDuration"); } catch { micros = NaN; }
      parsed.set(text, micros);
    }
    return micros;
  };
  return (batch, ctx) => {
    const t = time(batch, ctx);
    if (t.kind !== "num") throw new InternalError("session_window time column is not numeric");
    const n = t.length;
    const starts = new Float64Array(n);
    const ends = new Float64Array(n);
    const valid = new Uint8Array(n);
    const g = gapOf === null ? null : gapOf(batch, ctx);
    if (g !== null && g.kind !== "str" && g.kind !== "num") throw new InternalError("session_window gap is neither a string nor a day-time interval column");
    for (let i = 0; i < n; i++) {
      if (t.valid !== null && t.valid[i] === 0) continue;
      let gap = e.gapMicros;
      if (g !== null) {
        // Per row: a duration string, or a day-time interval (µs).
        gap = g.valid !== null && g.valid[i] === 0 ? NaN : g.kind === "str" ? parseGap(g.dict[g.codes[i]!]!) : g.values[i]!;
      }
      if (!(gap > 0)) continue;
      starts[i] = t.values[i]!;
      ends[i] = starts[i]! + gap;
      valid[i] = 1;
    }
    return { starts, ends, valid, length: n };
  };
}
