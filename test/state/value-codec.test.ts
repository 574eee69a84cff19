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
  it("reads keys and short strings exactly whatever came before them: ASCII, UTF-8 of the same byte length, many keys", () => {
    // "é" is the bytes C3 A9, which as code units are "Ã©": a key read before must never stand for the other.
    for (const pair of [[{ "é": 1 }, { "Ã©": 2 }], [{ "Ã©": 2 }, { "é": 1 }]]) {
      for (const v of [...pair, ...pair]) expect(roundTrip(v)).toEqual(v);
    }
    // Every two-byte character beside its bytes read as Latin-1 ("é" beside "Ã©"), one after the other.
    const twoByte = Array.from({ length: 0x800 - 0x80 }, (_, i) => String.fromCharCode(0x80 + i));
    const lookalikes = Object.fromEntries(twoByte.flatMap((c, i) => [[Buffer.from(c).toString("latin1"), i], [c, -i]]));
    expect(roundTrip(lookalikes)).toEqual(lookalikes);
    const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i.toString(36)}`, `v${i}`]));
    const back = roundTrip(many) as Record<string, string>;
    expect(back).toEqual(many);
    expect(Object.keys(back)).toEqual(Object.keys(many));
    const texts = ["", "a", "ascii-24-characters-long", "ascii-25-characters-long!", "mixé", "日本語", "😀", "x".repeat(200)];
    for (const t of texts) expect(roundTrip({ [t]: t, t })).toEqual({ [t]: t, t });
  });

  it("writes the documented bytes (the form checkpoints hold)", () => {
    const hex = (v: unknown): string => encodeValue(v).toString("hex");
    expect(hex({ a: "b" })).toBe("03" + "6f" + "01000000" + "01000000" + "61" + "73" + "01000000" + "62");
    expect(hex({ "é": 1 })).toBe("03" + "6f" + "01000000" + "02000000" + "c3a9" + "6e" + "000000000000f03f");
    expect(hex(["ab", true, null])).toBe("03" + "61" + "03000000" + "73" + "02000000" + "6162" + "74" + "7a");
  });
});
