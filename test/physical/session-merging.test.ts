import { describe, expect, test } from "vitest";
import { mergeSessions, type KeySession } from "../../src/physical/session-merging.ts";

function slots(): () => number {
  let next = 100;
  return () => next++;
}

describe("mergeSessions", () => {
  test("rows of one batch: overlapping and touching sessions merge, a gap starts the next", () => {
    // Gap 5: rows at 0, 3 and 8 ([8,13) starts exactly where [0,8) ends: it joins), 20 alone.
    const m = mergeSessions([], [0, 3, 8, 20], [5, 8, 13, 25], slots());
    expect(m.sessions).toEqual([{ start: 0, end: 13, slot: 100 }, { start: 20, end: 25, slot: 101 }]);
    expect([...m.rowSlots]).toEqual([100, 100, 100, 101]);
    expect(m.changed).toEqual([100, 101]);
    expect(m.absorbed).toEqual([]);
  });

  test("a row that bridges two existing sessions merges them into the earlier one's slot", () => {
    const existing: KeySession[] = [{ start: 0, end: 5, slot: 1 }, { start: 9, end: 14, slot: 2 }, { start: 30, end: 35, slot: 3 }];
    const m = mergeSessions(existing, [4], [9], slots());
    expect(m.sessions).toEqual([{ start: 0, end: 14, slot: 1 }, { start: 30, end: 35, slot: 3 }]);
    expect(m.absorbed).toEqual([{ from: existing[1], into: 1 }]);
    expect([...m.rowSlots]).toEqual([1]);
    expect(m.changed).toEqual([1]);
  });

  test("a row before an existing session that reaches it extends it backwards; untouched sessions are not changed", () => {
    const existing: KeySession[] = [{ start: 10, end: 15, slot: 7 }, { start: 40, end: 45, slot: 8 }];
    const m = mergeSessions(existing, [6], [11], slots());
    expect(m.sessions).toEqual([{ start: 6, end: 15, slot: 7 }, { start: 40, end: 45, slot: 8 }]);
    expect(m.changed).toEqual([7]);
  });

  test("a row inside an existing session changes its aggregates, not its bounds", () => {
    const m = mergeSessions([{ start: 0, end: 10, slot: 4 }], [2], [7], slots());
    expect(m.sessions).toEqual([{ start: 0, end: 10, slot: 4 }]);
    expect(m.changed).toEqual([4]);
    expect([...m.rowSlots]).toEqual([4]);
  });

  test("no rows: the existing sessions stay as they are, unchanged", () => {
    const existing: KeySession[] = [{ start: 0, end: 5, slot: 1 }];
    const m = mergeSessions(existing, [], [], slots());
    expect(m.sessions).toEqual(existing);
    expect(m.changed).toEqual([]);
  });
});
