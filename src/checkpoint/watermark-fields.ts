import { InternalError } from "../common/errors.ts";

/**
 * Spark stores watermarks in milliseconds; rivulet keeps microseconds. Log entries carry
 * both: the ms field Spark tools read, and the µs field that keeps full precision.
 */
export function microsToMillis(micros: number): number {
  return Math.floor(micros / 1000);
}

/** Checks that a ms/µs pair written to a log agrees; a mismatch is a bug in the writer. */
export function checkWatermarkPair(ms: number, us: number, what: string): void {
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(us) || microsToMillis(us) !== ms) {
    throw new InternalError(`${what}: ${ms} ms does not match ${us} µs`);
  }
}

/** Reads the µs field of a log entry if present and consistent, else derives it from the ms field. */
export function readWatermarkMicros(json: Record<string, unknown>, msField: string, usField: string): { ms: number; us: number } {
  const ms = json[msField];
  if (typeof ms !== "number" || !Number.isSafeInteger(ms)) throw new Error(`'${msField}' must be an integer, not ${JSON.stringify(ms)}`);
  const us = json[usField];
  if (us === undefined) return { ms, us: ms * 1000 };
  if (typeof us !== "number" || !Number.isSafeInteger(us)) throw new Error(`'${usField}' must be an integer, not ${JSON.stringify(us)}`);
  // A file edited by hand (or by Spark tooling) that changed only the ms field: the ms field wins.
  return microsToMillis(us) === ms ? { ms, us } : { ms, us: ms * 1000 };
}
