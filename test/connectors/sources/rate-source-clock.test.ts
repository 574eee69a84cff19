import { expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { ManualClock } from "../../../src/testing/index.ts";

/** The rate source follows the session's clock (as triggers do): under a ManualClock, rows come only as the clock advances. */
test("rate source: start time and rows due from the session's ManualClock", async () => {
  const t0 = Date.UTC(2026, 0, 1);
  const clock = new ManualClock(t0);
  const session = Session.builder().withClock(clock).getOrCreate();
  const name = `rate_clock_${process.pid}`;
  const q = session.readStream.format("rate").option("rowsPerSecond", 2).load()
    .writeStream.format("memory").queryName(name).trigger({ processingTime: "1 second" }).start();
  try {
    await clock.advance(0);
    await clock.advance(1000);
    await clock.advance(1000);
    const rows = await session.sql(`SELECT value, timestamp FROM ${name} ORDER BY value`).collect();
    // Two rows a second from t0, stamped on the manual clock; none from the wall clock's present.
    expect(rows.map((r) => [r.value, (r.timestamp as Date).getTime() - t0])).toEqual([[0, 0], [1, 500], [2, 1000], [3, 1500]]);
  } finally {
    await q.stop();
  }
});
