import { expect, test } from "vitest";
import { IdleWaiters } from "../../src/execution/idle-waiters.ts";

test("processAllAvailable's wait is answered only by an idle round that began after it asked", async () => {
  const waiters = new IdleWaiters();
  const resolved: string[] = [];
  const early = waiters.beginRound(); // the loop is already looking for data (before the file arrives)
  void waiters.wait().then(() => resolved.push("first"));
  waiters.idle(early); // that round found nothing: it looked before the caller's data arrived
  await Promise.resolve();
  expect(resolved).toEqual([]);
  const next = waiters.beginRound();
  void waiters.wait().then(() => resolved.push("second"));
  waiters.idle(next); // answers the first caller, not the second (it asked after this round began)
  await Promise.resolve();
  expect(resolved).toEqual(["first"]);
  waiters.idle(waiters.beginRound());
  await Promise.resolve();
  expect(resolved).toEqual(["first", "second"]);
});
