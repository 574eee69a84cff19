import { expect, test } from "vitest";
import { GroupStateTimeout, MemoryStream, Session, types, type GroupState, type Infer } from "../../../src/index.ts";
import { planString } from "../../../src/plan/plan-string.ts";
import { testStream } from "../../../src/testing/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

/**
 * Sessionisation with flatMapGroupsWithState, as in Spark's StructuredSessionization
 * example: a user's session ends after 30 minutes without events. Sessions are closed by
 * an event-time timeout (the watermark passing the last event + 30 minutes), or when an
 * event comes more than 30 minutes after the previous one.
 */
const spark = Session.builder().appName("sessionization").getOrCreate();
// testStream leaves its checkpoints under os.tmpdir(): give this file its own, removed after its tests.
scopedTmpdir("rivulet-sessionization-tmp-", spark);
const at = (hh: number, mm: number): Date => new Date(Date.UTC(2026, 0, 1, hh, mm));
const GAP_MS = 30 * 60_000;

const Event = types.struct({ user: types.string(), time: types.timestamp(), page: types.string() });
const SessionUpdate = types.struct({
  user: types.string(), start: types.timestamp(), end: types.timestamp(), events: types.long(), closed: types.boolean(),
});
type Event = Infer<typeof Event>;
type SessionUpdate = Infer<typeof SessionUpdate>;
interface SessionState { start: number; end: number; events: number }

function sessionize(user: string, events: Event[], state: GroupState<SessionState>): SessionUpdate[] {
  const row = (s: SessionState, closed: boolean): SessionUpdate => ({ user, start: new Date(s.start), end: new Date(s.end), events: s.events, closed });
  if (state.hasTimedOut) {
    const s = state.get();
    state.remove();
    return [row(s, true)];
  }
  const out: SessionUpdate[] = [];
  let s = state.getOption();
  for (const t of events.map((e) => e.time.getTime()).sort((a, b) => a - b)) {
    if (s !== undefined && t - s.end > GAP_MS) {
      out.push(row(s, true));
      s = undefined;
    }
    s = s === undefined ? { start: t, end: t, events: 1 } : { start: s.start, end: Math.max(s.end, t), events: s.events + 1 };
  }
  state.update(s!);
  state.setTimeoutTimestamp(s!.end, "30 minutes");
  out.push(row(s!, false));
  return out;
}

const sessions = (input: MemoryStream<Event>) => input.toDS()
  .withWatermark("time", "10 minutes")
  .groupByKey((e) => e.user)
  .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, sessionize, SessionUpdate);

const open = (user: string, start: Date, end: Date, events: number): SessionUpdate => ({ user, start, end, events, closed: false });
const closed = (user: string, start: Date, end: Date, events: number): SessionUpdate => ({ user, start, end, events, closed: true });

test("sessions close 30 minutes after the last event, batch by batch, across a restart", async () => {
  const input = new MemoryStream(spark, Event);
  await testStream(sessions(input), "update")
    // Watermark after this batch: 00:10 − 10 min = 00:00.
    .addData(input, [{ user: "ann", time: at(0, 0), page: "/" }, { user: "ann", time: at(0, 5), page: "/a" }, { user: "bob", time: at(0, 10), page: "/" }])
    .checkNewAnswer([open("ann", at(0, 0), at(0, 5), 2), open("bob", at(0, 10), at(0, 10), 1)])
    // Watermark → 00:40: bob's timeout (00:40) has not passed yet.
    .addData(input, [{ user: "ann", time: at(0, 20), page: "/b" }, { user: "cat", time: at(0, 50), page: "/" }])
    .checkNewAnswer([open("ann", at(0, 0), at(0, 20), 3), open("cat", at(0, 50), at(0, 50), 1)])
    // Watermark → 00:55: the no-data batch that follows closes bob (00:40) and ann (00:50).
    .addData(input, [{ user: "dan", time: at(1, 5), page: "/" }])
    .checkNewAnswer([open("dan", at(1, 5), at(1, 5), 1), closed("bob", at(0, 10), at(0, 10), 1), closed("ann", at(0, 0), at(0, 20), 3)])
    .assertNumStateRows(2)
    .stopStream().startStream()
    // cat's session and the watermark come back from the checkpoint: 01:10 is within 30 minutes of 00:50.
    .addData(input, [{ user: "cat", time: at(1, 10), page: "/c" }])
    .checkNewAnswer([open("cat", at(0, 50), at(1, 10), 2)])
    // A late event (behind the 01:00 watermark) is dropped; eve moves the watermark to 01:50, closing dan and cat.
    .addData(input, [{ user: "ann", time: at(0, 30), page: "/late" }, { user: "eve", time: at(2, 0), page: "/" }])
    .checkNewAnswer([open("eve", at(2, 0), at(2, 0), 1), closed("dan", at(1, 5), at(1, 5), 1), closed("cat", at(0, 50), at(1, 10), 2)])
    .assertNumStateRows(1)
    // A gap of more than 30 minutes within one batch closes the session and starts another.
    .addData(input, [{ user: "eve", time: at(2, 40), page: "/x" }, { user: "eve", time: at(2, 45), page: "/y" }])
    .checkNewAnswer([closed("eve", at(2, 0), at(2, 0), 1), open("eve", at(2, 40), at(2, 45), 2)])
    .assertOnQuery("the late event was counted as dropped", (q) => {
      const dropped = q.recentProgress.reduce((n, p) => n + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
      expect(dropped).toBe(1);
    })
    .run();
});

test("the plan shows the opaque operator over the watermark", () => {
  const input = new MemoryStream(spark, Event);
  expect(planString(sessions(input).plan)).toMatch(
    /^FlatMapGroupsWithState flatMapGroupsWithState, update, EventTimeTimeout \[user, start, end, events, closed\]\n\+- EventTimeWatermark time, 10 minutes\n/,
  );
});

test("an event-time timeout needs a watermark", () => {
  const input = new MemoryStream(spark, Event);
  expect(() => input.toDS().groupByKey((e) => e.user)
    .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, sessionize, SessionUpdate))
    .toThrow(/Watermark must be specified in the query using '\[Dataset\/DataFrame\].withWatermark\(\)' for using event-time timeout/);
});

test("a processing-time timeout fires on time alone, with no new data, under a processing-time trigger", async () => {
  const { ManualClock } = await import("../../../src/testing/index.ts");
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const session = Session.builder().withClock(clock).getOrCreate();
  const input = new MemoryStream(session, Event);
  const counted = input.toDS()
    .groupByKey((e) => e.user)
    .flatMapGroupsWithState("update", GroupStateTimeout.ProcessingTimeTimeout, (user: string, events: Event[], state: GroupState<number>) => {
      if (state.hasTimedOut) {
        const n = state.get();
        state.remove();
        return [{ user, start: at(0, 0), end: at(0, 0), events: n, closed: true }];
      }
      state.update((state.getOption() ?? 0) + events.length);
      state.setTimeoutDuration("1 minute");
      return [];
    }, SessionUpdate);
  const name = `ptimeout_${process.pid}`;
  const q = counted.writeStream.format("memory").queryName(name).outputMode("update").trigger({ processingTime: "10 seconds" }).start();
  await clock.advance(0);
  input.addData([{ user: "ann", time: at(0, 0), page: "/" }]);
  await clock.advance(10_000);
  expect(await session.table(name).collect()).toEqual([]);
  for (let i = 0; i < 7; i++) await clock.advance(10_000);
  expect(await session.table(name).collect()).toEqual([{ user: "ann", start: at(0, 0), end: at(0, 0), events: 1, closed: true }]);
  await q.stop();
});
