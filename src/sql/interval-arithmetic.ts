import { AnalysisError } from "../common/errors.ts";
import { parseDuration } from "../common/duration.ts";
import { Call, Literal, type Expression } from "../expr/expression.ts";
import { TIMESTAMP_ADD_INTERVAL } from "../expr/functions/timestamp-interval.ts";
import { LongType } from "../types/data-types.ts";
import { isIntervalLiteral } from "./literals.ts";

/**
 * `time + INTERVAL …`, `INTERVAL … + time` and `time - INTERVAL …`: a timestamp shifted by
 * a day-time interval; null when neither operand is an interval literal. The narrowest
 * piece of interval arithmetic (no interval type yet): months, whose length depends on
 * the date, are refused.
 */
export function intervalArithmetic(op: "add" | "subtract", left: Expression, right: Expression): Expression | null {
  const li = isIntervalLiteral(left), ri = isIntervalLiteral(right);
  if (!li && !ri) return null;
  if (li && (ri || op === "subtract")) {
    throw new AnalysisError("interval arithmetic other than a timestamp plus or minus an INTERVAL literal is not supported yet");
  }
  const interval = (li ? left : right) as Literal;
  const text = String(interval.value);
  if (/\b(month|months|year|years)\b/i.test(text)) {
    throw new AnalysisError(`INTERVAL '${text}': adding months or years to a timestamp is not supported yet; use days or smaller units`);
  }
  const micros = parseDuration(text, "INTERVAL literal");
  const time = li ? right : left;
  return Call.create(TIMESTAMP_ADD_INTERVAL, [time, Literal.create(op === "add" ? micros : -micros, LongType)]);
}
