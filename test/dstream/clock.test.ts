import { describe, expect, test } from "vitest";
import { ManualClock, SystemClock } from "../../src/index.ts";

describe("clocks", () => {
  test("a ManualClock wakes a participant when its time comes, and advance() waits until it waits again", async () => {
    const clock = new ManualClock(1000);
    const participant = clock.register();
    const ran: number[] = [];
    const loop = (async () => {
      for (let t = 2000; t <= 4000; t += 1000) {
        await participant.waitTillTime(t);
        await new Promise((resolve) => setTimeout(resolve, 5)); // a batch that takes real time
        ran.push(t);
      }
      participant.unregister();
    })();
    await clock.advance(0);
    expect(ran).toEqual([]);
    await clock.advance(1000);
    expect(ran).toEqual([2000]);
    await clock.advance(2000);
    expect(ran).toEqual([2000, 3000, 4000]);
    await loop;
    expect(clock.now()).toBe(4000);
  });

  test("an aborted wait resolves early; a SystemClock waits real time", async () => {
    const clock = new ManualClock();
    const participant = clock.register();
    const abort = new AbortController();
    const waiting = participant.waitTillTime(10_000, abort.signal);
    abort.abort();
    await waiting;
    participant.unregister();
    await clock.advance(1); // no participant: resolves at once
    const system = new SystemClock();
    const start = system.now();
    await system.register().waitTillTime(start + 20);
    expect(system.now() - start).toBeGreaterThanOrEqual(19);
  });
});
