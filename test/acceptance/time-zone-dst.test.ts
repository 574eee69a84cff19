import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, count, date_format, hour, window } from "../../src/index.ts";
import { ConfKeys } from "../../src/common/config.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("time-zone-dst").getOrCreate();
const tempDir = tempDirs(() => base);

/** A session of its own in America/Los_Angeles, as a user's job would configure it. */
function losAngeles(): Session {
  const spark = base.newSession();
  spark.conf.set(ConfKeys.sessionTimeZone, "America/Los_Angeles");
  return spark;
}

// Local times without an offset, around the change to summer time on 2026-03-08 (02:00 PST → 03:00 PDT).
const beforeChange = ["2026-03-08 00:30:00", "2026-03-08 01:15:00", "2026-03-08 01:45:00"];
const afterChange = ["2026-03-08 03:10:00", "2026-03-08 03:50:00"];
// Later events, one file each: each batch runs with the watermark the previous one advanced.
const later = ["2026-03-08 05:00:00", "2026-03-08 07:00:00"];
const lines = (times: readonly string[]): string => times.map((t) => JSON.stringify({ time: t, action: "click" })).join("\n") + "\n";

describe("a streaming window job in America/Los_Angeles across a DST change", () => {
  test("zone-less event times read in the session zone, hourly windows shown with each instant's offset, and a restart keeps going", async () => {
    const input = await tempDir("rivulet-dst-in-");
    const checkpoint = await tempDir("rivulet-dst-ckpt-");
    const name = `dst_windows_${process.pid}`;
    const run = async (spark: Session): Promise<void> => {
      const q = spark.readStream.schema("time TIMESTAMP, action STRING").option("maxFilesPerTrigger", 1).json(input)
        .withWatermark("time", "10 minutes")
        .groupBy(window(col("time"), "1 hour"))
        .agg(count("*").as("n"))
        .select(date_format(col("window.start"), "yyyy-MM-dd HH:mm XXX").as("start"), hour(col("window.start")).as("h"), col("n"))
        .writeStream.format("memory").queryName(name).outputMode("append")
        .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
      await q.awaitTermination();
    };
    await writeFile(join(input, "a.json"), lines(beforeChange));
    const first = losAngeles();
    await run(first);
    const shown = async (spark: Session): Promise<string[]> =>
      (await spark.table(name).collect()).map((r) => `${r.start as string} h=${r.h as number} n=${r.n as number}`).sort();
    // The first run's closing batch (its watermark passed 09:00Z) emits the first window.
    expect(await shown(first)).toEqual(["2026-03-08 00:00 -08:00 h=0 n=1"]);
    await writeFile(join(input, "b.json"), lines(afterChange));
    await writeFile(join(input, "c.json"), lines(later.slice(0, 1)));
    await writeFile(join(input, "d.json"), lines(later.slice(1)));
    // The restart: a new session with the job's zone, the same checkpoint (state and watermark carry over).
    const second = losAngeles();
    await run(second);
    // Windows are aligned to the UTC epoch, one real hour each: after 01:00 PST comes 03:00 PDT.
    expect(await shown(second)).toEqual([
      "2026-03-08 01:00 -08:00 h=1 n=2",
      "2026-03-08 03:00 -07:00 h=3 n=2",
      "2026-03-08 05:00 -07:00 h=5 n=1",
    ]);
  });

  test("the SQL form of the job reads the same rows: SET TIME ZONE, interval arithmetic in the projection", async () => {
    const input = await tempDir("rivulet-dst-sql-");
    await writeFile(join(input, "a.json"), lines([...beforeChange, ...afterChange, later[0]!]));
    const spark = base.newSession();
    const { last } = await spark.sqlScript(`
      SET TIME ZONE 'America/Los_Angeles';
      CREATE TABLE events (time TIMESTAMP, action STRING) USING json OPTIONS (path '${input}');
      SELECT date_format(time, 'HH:mm') AS local, date_format(time + INTERVAL 1 HOUR, 'HH:mm') AS hour_later,
             date_format(time + INTERVAL '1' DAY, 'MM-dd HH:mm') AS day_later,
             timestampdiff(MINUTE, TIMESTAMP '2026-03-08 00:00:00', time) AS wall_minutes,
             CAST((time - TIMESTAMP '2026-03-08 00:00:00') AS STRING) AS since_midnight
      FROM events ORDER BY time`);
    const rows = await last!.collect();
    expect(rows.map((r) => r.local)).toEqual(["00:30", "01:15", "01:45", "03:10", "03:50", "05:00"]);
    // An exact hour after 01:15 PST is 03:15 PDT; a calendar day later keeps the clock time.
    expect(rows.map((r) => r.hour_later)).toEqual(["01:30", "03:15", "03:45", "04:10", "04:50", "06:00"]);
    expect(rows.map((r) => r.day_later)).toEqual(["03-09 00:30", "03-09 01:15", "03-09 01:45", "03-09 03:10", "03-09 03:50", "03-09 05:00"]);
    expect(rows.map((r) => r.wall_minutes)).toEqual([30, 75, 105, 190, 230, 300]);
    expect(rows[3]!.since_midnight).toBe("INTERVAL '0 03:10:00' DAY TO SECOND");
  });
});
