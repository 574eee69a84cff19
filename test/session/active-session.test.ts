import { afterEach, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const made: Session[] = [];
afterEach(async () => { await Promise.all(made.splice(0).map((s) => s.stop())); });

describe("the active session (SparkSession.getActiveSession / clearActiveSession)", () => {
  test("getOrCreate shares the active session and applies the builder's settings to it", async () => {
    const first = Session.builder().appName("active-a").getOrCreate();
    made.push(first);
    const again = Session.builder().config("spark.sql.session.timeZone", "Asia/Tokyo").getOrCreate();
    expect(again).toBe(first);
    expect(Session.getActiveSession()).toBe(first);
    expect(first.conf.get("spark.sql.session.timeZone")).toBe("Asia/Tokyo");
  });

  test("clearActiveSession: the next getOrCreate makes a new session with defaults; the old one keeps running", async () => {
    const first = Session.builder().config("spark.sql.session.timeZone", "Asia/Tokyo").getOrCreate();
    made.push(first);
    Session.clearActiveSession();
    expect(Session.getActiveSession()).toBeNull();
    const second = Session.builder().getOrCreate();
    made.push(second);
    expect(second).not.toBe(first);
    expect(second.conf.get("spark.sql.session.timeZone")).not.toBe("Asia/Tokyo");
    expect(first.stopped).toBe(false);
    expect(await first.sql("SELECT 1 AS one").collect()).toEqual([{ one: 1 }]);
  });
});
