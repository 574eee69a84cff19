/**
 * Web sessions with the typed Dataset API: a user's session ends after 30 minutes
 * without events (an event-time timeout behind a 10-minute watermark). Misspelt columns
 * and rows of the wrong shape are compile errors here, not failures in hour three.
 *
 *   npx tsx examples/typed-sessions/sessions.ts logs/     # a directory of JSON lines {user, time, page}
 */
import { GroupStateTimeout, Session, count, types, window, type GroupState, type Infer } from "../../src/index.ts";

const Event = types.struct({ user: types.string(), time: types.timestamp(), page: types.string(), bytes: types.long().nullable() });
const SessionUpdate = types.struct({
  user: types.string(), start: types.timestamp(), end: types.timestamp(), pages: types.long(), closed: types.boolean(),
});
type Event = Infer<typeof Event>;
type SessionUpdate = Infer<typeof SessionUpdate>;
interface Visit { start: number; end: number; pages: number }

const GAP = "30 minutes";

/** One user's events of a batch (or none, on a timeout) → the session's update. */
function sessionize(user: string, events: Event[], state: GroupState<Visit>): SessionUpdate[] {
  const row = (v: Visit, closed: boolean): SessionUpdate => ({ user, start: new Date(v.start), end: new Date(v.end), pages: v.pages, closed });
  if (state.hasTimedOut) {
    const visit = state.get();
    state.remove();
    return [row(visit, true)];
  }
  const times = events.map((e) => e.time.getTime());
  const previous = state.getOption();
  const visit: Visit = {
    start: Math.min(previous?.start ?? Infinity, ...times),
    end: Math.max(previous?.end ?? -Infinity, ...times),
    pages: (previous?.pages ?? 0) + events.length,
  };
  state.update(visit);
  state.setTimeoutTimestamp(visit.end, GAP);
  return [row(visit, false)];
}

const spark = Session.builder().appName("typed-sessions").getOrCreate();
const events = spark.readStream.schema(Event).json(process.argv[2] ?? "logs/")   // Dataset<Event>
  .withWatermark("time", "10 minutes");

const sessions = events
  .filter((e) => !e.page.startsWith("/static/"))
  .groupByKey((e) => e.user)
  .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, sessionize, SessionUpdate);

// The same stream, counted per page and 5-minute window: typed { window, page, views }.
const views = events.groupBy(window(events.col("time"), "5 minutes"), "page").agg(count("*").as("views"));

const query = sessions.writeStream.outputMode("update")
  .foreachBatch(async (batch, id) => {
    for (const s of await batch.filter((s) => s.closed).collect()) {
      console.log(`batch ${id}: ${s.user} visited ${s.pages} pages from ${s.start.toISOString()} to ${s.end.toISOString()}`);
    }
  })
  .start();
views.writeStream.outputMode("update").format("console").start();
await query.awaitTermination();
