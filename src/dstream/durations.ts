import { AnalysisError } from "../common/errors.ts";

/** DStream durations are given in seconds (Spark's `Seconds(n)`); the engine counts ms. */
export function secondsToMs(seconds: number, what: string): number {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
    throw new AnalysisError(`${what} must be a positive number of seconds, not ${String(seconds)}`);
  }
  return Math.round(seconds * 1000);
}

/** "2 s", "1.5 s": how errors name a duration (users gave seconds). */
export function formatMs(ms: number): string {
  return `${ms / 1000} s`;
}

/**
 * Window and slide durations must be multiples of the parent's slide (the batch interval
 * for an input): a window is a whole number of batches (Spark's WindowedDStream checks).
 */
export function checkMultiple(kind: "window" | "slide", ms: number, parentSlideMs: number): void {
  if (ms % parentSlideMs !== 0) {
    throw new AnalysisError(
      `The ${kind} duration of windowed DStream (${formatMs(ms)}) must be a multiple of the slide duration ` +
        `of parent DStream (${formatMs(parentSlideMs)}, the batch interval for an input stream)`,
    );
  }
}
