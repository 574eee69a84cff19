import { formatDayTimeInterval, formatYearMonthInterval } from "../../columnar/intervals.ts";
import type { Expression, WindowExpression, WindowFrame } from "../expression.ts";

/**
 * How a window expression prints (Spark's WindowExpression.sql):
 * `sum(b) OVER (PARTITION BY a ORDER BY b ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`.
 * `show` prints the children, so that display.ts keeps the one printing of expressions.
 */
export function displayWindowExpression(e: WindowExpression, show: (x: Expression) => string): string {
  const parts: string[] = [];
  if (e.partitionBy.length > 0) parts.push(`PARTITION BY ${e.partitionBy.map(show).join(", ")}`);
  if (e.orderBy.length > 0) parts.push(`ORDER BY ${e.orderBy.map(show).join(", ")}`);
  if (e.frame !== null) parts.push(displayFrame(e.frame, e.fn.kind === "Call" && (e.fn.name === "lag" || e.fn.name === "lead")));
  return `${displayWindowFunction(e.fn, show)} OVER (${parts.join(" ")})`;
}

/** The function part: lag/lead/nth_value print without their ignoreNulls flag, as Spark names them. */
export function displayWindowFunction(fn: Expression, show: (x: Expression) => string): string {
  if (fn.kind !== "Call") return show(fn);
  const shown = fn.name === "lag" || fn.name === "lead" ? fn.args.slice(0, 3) : fn.name === "nth_value" ? fn.args.slice(0, 2) : fn.args;
  return `${fn.name}(${shown.map(show).join(", ")})`;
}

/** `ROWS BETWEEN 1 PRECEDING AND CURRENT ROW`; lag/lead's offsets print signed (`-1 FOLLOWING`), as Spark's. */
export function displayFrame(f: WindowFrame, signed = false): string {
  const bound = (v: number): string => {
    if (v === -Infinity) return "UNBOUNDED PRECEDING";
    if (v === Infinity) return "UNBOUNDED FOLLOWING";
    if (v === 0 && !signed) return "CURRENT ROW";
    const t = f.offsetType;
    const amount = (x: number): string => (t?.kind === "interval_ym" ? formatYearMonthInterval(x, t.startField, t.endField)
      : t?.kind === "interval_dt" ? formatDayTimeInterval(x, t.startField, t.endField) : String(x));
    if (signed || v > 0) return `${amount(v)} FOLLOWING`;
    return `${amount(-v)} PRECEDING`;
  };
  return `${f.frameType === "rows" ? "ROWS" : "RANGE"} BETWEEN ${bound(f.lower)} AND ${bound(f.upper)}`;
}
