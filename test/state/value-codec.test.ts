import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue, encodeValueShared } from "../../src/state/value-codec.ts";

const roundTrip = (v: unknown): unknown => decodeValue(encodeValue(v));

describe("state value codec", () => {
  it("writes plain objects and arrays of primitives in the compact form and reads them back equal, in property order", () => {
    const session = { key: "user-1", state: { start: 1_700_000_000_000, end: 1_700_000_000_005, events: 2 }, timeoutMs: 1_700_001_800_005 };
    expect(encodeValue(session)[0]).toBe(0x03);
    expect(roundTrip(session)).toEqual(session);
    const mixed = { z: 1, a: [1, "two", null, true, false, [], {}], "é ü 日本": "ünïcödé 😀", nested: { deeper: { deepest: [[-1.5]] } }, gone: undefined };
    const back = roundTrip(mixed) as Record<string, unknown>;
    expect(back).toEqual(mixed);
    expect(Object.keys(back)).toEqual(Object.keys(mixed));
    expect("gone" in back).toBe(true);
    expect(Object.is((roundTrip({ x: -0 }) as { x: number }).x, -0)).toBe(true);
    expect(Number.isNaN((roundTrip([NaN]) as number[])[0])).toBe(true);
    expect(roundTrip("just a string")).toBe("just a string");
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip(42.5)).toBe(42.5);
  });

  it("keeps the v8 form for what the compact form cannot carry exactly", () => {
    const sparse = [1, , 3];
    const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
    const values: unknown[] = [new Date(5), new Map([["a", 1]]), new Set([1]), 2n ** 70n, new Float64Array([1, 2]), sparse, "lone \ud800 surrogate", { when: new Date(7) }, nullProto, { ["__proto__"]: 1 }];
    for (const v of values) {
      expect(encodeValue(v)[0]).toBe(0x02);
      expect(roundTrip(v)).toEqual(v);
    }
    expect(1 in (roundTrip(sparse) as unknown[])).toBe(false);
    expect((roundTrip("lone \ud800 surrogate") as string).charCodeAt(5)).toBe(0xd800);
  });

  it("the shared encoding is the same bytes as encodeValue, until the next call", () => {
    const a = { k: "a", n: 1 };
    const shared = Buffer.from(encodeValueShared(a));
    expect(shared.equals(encodeValue(a))).toBe(true);
    expect(encodeValueShared(7).equals(encodeValue(7))).toBe(true);
  });
});
