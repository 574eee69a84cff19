/** Per-batch values that expressions may read (Spark's batch timestamp for current_timestamp). */
export interface EvalContext {
  /** Microseconds since the epoch when the batch started; every row of a batch sees the same value. */
  readonly batchTimestampMicros: number;
  /** Session time zone offset in minutes (spark.sql.session.timeZone), for hour(), date_trunc()… */
  readonly timeZoneOffsetMinutes: number;
}

export const defaultEvalContext = (): EvalContext => ({
  batchTimestampMicros: Date.now() * 1000,
  timeZoneOffsetMinutes: 0,
});
