import { zoneRules, type ZoneRules } from "../common/time-zone.ts";

/** Per-batch values that expressions may read (Spark's batch timestamp for current_timestamp). */
export interface EvalContext {
  /** Microseconds since the epoch when the batch started; every row of a batch sees the same value. */
  readonly batchTimestampMicros: number;
  /**
   * The session time zone's ID (spark.sql.session.timeZone), for hour(), date_trunc(),
   * casts… (an ID, not its rules, so that the context can be posted to worker threads).
   */
  readonly timeZoneId: string;
}

export const defaultEvalContext = (): EvalContext => ({
  batchTimestampMicros: Date.now() * 1000,
  timeZoneId: "UTC",
});

/** The rules of the context's time zone: the offset at each value's instant. */
export function zoneOf(ctx: EvalContext): ZoneRules {
  return zoneRules(ctx.timeZoneId);
}
