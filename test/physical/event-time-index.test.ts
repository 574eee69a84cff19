import { describe, expect, test } from "vitest";
import { EventTimeIndex } from "../../src/physical/group-table/event-time-index.ts";

describe("EventTimeIndex (group slots by the event time that closes them)", () => {
  test("takes the slots a watermark closes, ordered by time then slot, and only those", () => {
    const index = new EventTimeIndex();
    [[7, 300], [2, 100], [9, 100], [4, 200], [1, 300], [3, 100], [8, Infinity]].forEach(([slot, time]) => index.add(slot!, time!));
    expect(index.size).toBe(6); // a group with a null time (Infinity) is never closed: not indexed
    expect([...index.takeUpTo(99)]).toEqual([]);
    expect([...index.takeUpTo(200)]).toEqual([2, 3, 9, 4]);
    expect(index.earliest()).toBe(300);
    expect([...index.takeUpTo(200)]).toEqual([]);
    index.add(5, 150); // a slot reused after its group left
    expect([...index.takeUpTo(1e18)]).toEqual([5, 1, 7]);
    expect(index.size).toBe(0);
    expect(index.earliest()).toBe(Infinity);
  });

  test("agrees with sorting every slot by time when times come in any order", () => {
    const index = new EventTimeIndex();
    const all: [number, number][] = [];
    let x = 12345;
    for (let slot = 0; slot < 5000; slot++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const time = (x % 97) * 1000;
      index.add(slot, time);
      all.push([slot, time]);
    }
    let taken: number[] = [];
    for (let w = 0; w < 105_000; w += 9_000) taken = taken.concat([...index.takeUpTo(w)]);
    const expected = all.sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([s]) => s);
    // Within one watermark step the order is by time then slot; across steps times only grow.
    expect(taken).toEqual(expected);
  });

  test("clear forgets every slot", () => {
    const index = new EventTimeIndex();
    index.add(1, 10);
    index.clear();
    expect(index.size).toBe(0);
    expect([...index.takeUpTo(100)]).toEqual([]);
  });
});
