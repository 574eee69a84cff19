import { InternalError } from "../common/errors.ts";

/**
 * The event time of a watermarked column's value, in microseconds: a timestamp's own value,
 * or the end of a window struct `{start, end}` (a window over a watermarked column is event
 * time too; it closes at its end, as Spark's watermark predicate on a window). Null stays null.
 */
export function eventTimeMicros(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  const end = (v as { end?: unknown }).end;
  if (typeof end === "number") return end;
  if (end === null) return null;
  throw new InternalError(`event-time value of unexpected shape: ${JSON.stringify(v)}`);
}
