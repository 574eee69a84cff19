import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { GroupStateTimeout, MemoryStream, Session, types, type GroupState, type Infer } from "../../../src/index.ts";
import { setGroupsAtOnce } from "../../../src/physical/operators/flat-map-groups-with-state-exec.ts";
import { flushThreadStarted, mergeThreadStarted } from "../../../src/state/disk/background-threads.ts";
import { testStream } from "../../../src/testing/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

/**
 * flatMapGroupsWithState takes a batch's keys a few at a time (looked up, called, output
 * converted): with two at a time, every answer is the one a single share gives, with each
 * provider; each call gets its key's rows in input order, as objects (and Dates) of its own.
 */
const spark = Session.builder().appName("flat-map-groups-shares").getOrCreate();
scopedTmpdir("rivulet-fmgws-shares-", spark);

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const BUDGET = "rivulet.sql.streaming.stateStore.memoryBudget";
const providers: Array<[string, Record<string, string>]> = [
  ["memory", {}],
  ["file", { [PROVIDER]: "file" }],
  ["rocksdb (disk engine), 1 KiB memory budget", { [PROVIDER]: "rocksdb", [BUDGET]: "1k" }],
];
const at = (hh: number, mm: number): Date => new Date(Date.UTC(2026, 0, 1, hh, mm));

const Event = types.struct({ user: types.string(), time: types.timestamp(), page: types.string() });
const Visit = types.struct({ user: types.string(), pages: types.string(), events: types.long(), closed: types.boolean() });
type Event = Infer<typeof Event>;
interface Pages { pages: string[]; end: number }

/** Every row object and Date the function was given, to check that none is given twice. */
const seen = new Set<object>();

function visits(user: string, events: Event[], state: GroupState<Pages>): Array<Infer<typeof Visit>> {
  if (state.hasTimedOut) {
    const s = state.get();
    state.remove();
    return [{ user, pages: s.pages.join(","), events: s.pages.length, closed: true }];
  }
  for (const e of events) {
    if (seen.has(e) || seen.has(e.time)) throw new Error("a row or Date given twice");
    seen.add(e).add(e.time);
  }
  const s = state.getOption() ?? { pages: [], end: 0 };
  const next = { pages: [...s.pages, ...events.map((e) => e.page)], end: Math.max(s.end, ...events.map((e) => e.time.getTime())) };
  state.update(next);
  state.setTimeoutTimestamp(next.end, "30 minutes");
  return [{ user, pages: next.pages.join(","), events: next.pages.length, closed: false }];
}

let previous = 0;
beforeAll(async () => {
  previous = setGroupsAtOnce(2);
  // The disk engine's threads, up before the tests: their start writes into the tmpdir this file removes after its tests.
  while (!flushThreadStarted() || !mergeThreadStarted()) await new Promise((resolve) => setTimeout(resolve, 10));
});
afterAll(() => {
  setGroupsAtOnce(previous);
});
afterEach(() => {
  spark.conf.unset(PROVIDER);
  spark.conf.unset(BUDGET);
});

describe.each(providers)("flatMapGroupsWithState two keys at a time, %s state store", (_name, settings) => {
  test("the rows of each key in input order, keys in order of first appearance, timeouts past a share", async () => {
    for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
    const input = new MemoryStream(spark, Event);
    const query = input.toDS().withWatermark("time", "10 minutes").groupByKey((e) => e.user)
      .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, visits, Visit);
    const open = (user: string, pages: string): Infer<typeof Visit> => ({ user, pages, events: pages.split(",").length, closed: false });
    const closed = (user: string, pages: string): Infer<typeof Visit> => ({ user, pages, events: pages.split(",").length, closed: true });
    const users = ["ann", "bob", "cat", "dan", "eve"];
    await testStream(query, "update")
      .addData(input, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => ({ user: users[(i * 3) % 5]!, time: at(0, i), page: `/${i}` })))
      .checkNewAnswer([open("ann", "/0,/5,/10"), open("dan", "/1,/6"), open("bob", "/2,/7"), open("eve", "/3,/8"), open("cat", "/4,/9")])
      .stopStream().startStream()
      .addData(input, [{ user: "bob", time: at(0, 20), page: "/b" }, { user: "fay", time: at(0, 21), page: "/f" }, { user: "bob", time: at(0, 22), page: "/c" }])
      .checkNewAnswer([open("bob", "/2,/7,/b,/c"), open("fay", "/f")])
      // Watermark → 00:50: ann, dan, eve and cat (their last event + 30 min ≤ 00:40) time out, bob and fay stay.
      .addData(input, [{ user: "gus", time: at(1, 0), page: "/g" }])
      .checkNewAnswer([open("gus", "/g"), closed("ann", "/0,/5,/10"), closed("dan", "/1,/6"), closed("eve", "/3,/8"), closed("cat", "/4,/9")])
      .assertNumStateRows(3)
      .run();
    expect(seen.size).toBe(2 * 15);
    seen.clear();
  });
});
