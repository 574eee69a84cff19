import { AnalysisError } from "../common/errors.ts";
import { parseDuration } from "../common/duration.ts";
import { WindowTime, type Expression } from "./expression.ts";

/**
 * window(timeColumn, windowDuration[, slideDuration[, startTime]]) with Spark's checks,
 * shared by the DataFrame function and SQL's window(...).
 */
export function timeWindow(timeColumn: Expression, windowDuration: string, slideDuration?: string, startTime?: string): WindowTime {
  const size = parseDuration(windowDuration, "windowDuration");
  const slide = slideDuration === undefined ? size : parseDuration(slideDuration, "slideDuration");
  const start = startTime === undefined ? 0 : parseDuration(startTime, "startTime");
  if (size <= 0) throw new AnalysisError(`The window duration (${windowDuration}) must be greater than 0.`);
  if (slide <= 0) throw new AnalysisError(`The slide duration (${slideDuration}) must be greater than 0.`);
  if (slide > size) throw new AnalysisError(`The slide duration (${slideDuration}) must be less than or equal to the windowDuration (${windowDuration}).`);
  if (Math.abs(start) >= slide) throw new AnalysisError(`The absolute value of start time (${startTime}) must be less than the slideDuration (${slideDuration ?? windowDuration}).`);
  return WindowTime.create(timeColumn, size, slide, start);
}
