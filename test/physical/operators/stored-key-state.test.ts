import { describe, expect, it } from "vitest";
import { encodeGroupKey } from "../../../src/physical/operators/flat-map-groups-with-state-exec.ts";
import { NO_TIMESTAMP } from "../../../src/physical/operators/group-state-impl.ts";
import { keyOf, stateOf, storedKeyState, timeoutOf, type StoredKeyState } from "../../../src/physical/operators/stored-key-state.ts";
import { decodeValue, encodeValue } from "../../../src/state/value-codec.ts";

/** An entry as the disk and file stores keep it: through the value codec and back. */
const roundTrip = (stored: StoredKeyState): StoredKeyState => decodeValue<StoredKeyState>(encodeValue(stored));

describe("flatMapGroupsWithState's stored entries (stored-key-state.ts)", () => {
  const state = { start: 1, end: 5, events: 2, tags: ["a", "b"] };
  const keys: unknown[] = [
    "user-1", "", "s-with-prefix", "a\uD800b", "😀", 42, -7.5, 0, NaN, Infinity, -Infinity, 1e21, 5e-324, 2 ** 53 + 1, -0, true,
    { id: 3, region: "eu" }, [1, "x"], new Date(5), null,
  ];

  for (const key of keys) {
    it(`give back the key, state and timeout of key ${String(key instanceof Date ? "Date" : JSON.stringify(key) ?? key)} (with and without a state)`, () => {
      const storeKey = encodeGroupKey(key);
      for (const [s, timeoutMs] of [[state, 1_000], [state, NO_TIMESTAMP], [undefined, 2_000]] as const) {
        const stored = roundTrip(storedKeyState(key, s, timeoutMs));
        expect(stateOf(stored)).toEqual(s);
        expect(timeoutOf(stored)).toBe(timeoutMs);
        const back = keyOf(storeKey, stored);
        expect(Object.is(back, key) || (typeof key === "object" && back !== null && JSON.stringify(back) === JSON.stringify(key) && (back as object).constructor === (key as object).constructor)).toBe(true);
        // A primitive key names the same entry again (an object key's numbers may come back as doubles: the operator keeps the store key).
        if (typeof key !== "object") expect(encodeGroupKey(back)).toBe(storeKey);
      }
    });
  }

  it("store string and number keys' entries without the key (smaller than the first form)", () => {
    expect(storedKeyState("user-1", state, 10)).toEqual([state, 10]);
    expect(storedKeyState(42, undefined, 10)).toEqual([10]);
    expect(encodeValue(storedKeyState("user-1", state, 10)).length).toBeLessThan(encodeValue({ key: "user-1", state, timeoutMs: 10 }).length);
    // -0 would come back as 0 from its store key "n0": kept with the key.
    expect(storedKeyState(-0, state, 10)).toEqual({ key: -0, state, timeoutMs: 10 });
    // A lone surrogate would come back from a disk store's UTF-8 key as U+FFFD: kept with the key. A pair is fine.
    expect(storedKeyState("a\uD800", state, 10)).toEqual({ key: "a\uD800", state, timeoutMs: 10 });
    expect(storedKeyState("😀", state, 10)).toEqual([state, 10]);
  });

  it("read entries of the first form, as checkpoints written before hold them", () => {
    for (const old of [{ key: "user-1", state, timeoutMs: 7 }, { key: 42, timeoutMs: 8 }, { key: { id: 1 }, state: 3, timeoutMs: NO_TIMESTAMP }]) {
      const stored = roundTrip(old);
      expect(stateOf(stored)).toEqual(old.state);
      expect(timeoutOf(stored)).toBe(old.timeoutMs);
      expect(keyOf(encodeGroupKey(old.key), stored)).toEqual(old.key);
    }
    expect(timeoutOf(undefined)).toBe(NO_TIMESTAMP);
  });
});
