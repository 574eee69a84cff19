import { describe, expect, it } from "vitest";
import { orderByHash1 } from "../../src/state/disk/hash-order.ts";
import { MemtableSlots } from "../../src/state/disk/memtable-slots.ts";

/** The batch order of the disk store's lookups (a radix sort by hash1) and the memtable's slots. */
describe("orderByHash1", () => {
  it("orders positions by their hash1 over the whole 32-bit range, equal hashes in their given order", () => {
    let s = 12345;
    const next = (): number => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
    const n = 20_000;
    // Few distinct values in the low bits and some exact ties, so every digit and the stability matter.
    const h1s = Uint32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0xfffffff0 : i % 5 === 0 ? 0x80000000 + (next() & 0xff) : next()));
    const positions = Int32Array.from({ length: n }, (_, i) => n - 1 - i).filter((p) => p % 3 !== 0);
    const expected = [...positions].map((p, at) => ({ p, at })).sort((a, b) => h1s[a.p]! - h1s[b.p]! || a.at - b.at).map((x) => x.p);
    expect([...orderByHash1(h1s, positions, positions.length)]).toEqual(expected);
    expect([...orderByHash1(h1s, positions, 3)]).toEqual([...positions.slice(0, 3)].map((p, at) => ({ p, at })).sort((a, b) => h1s[a.p]! - h1s[b.p]! || a.at - b.at).map((x) => x.p));
    expect(orderByHash1(h1s, positions, 0).length).toBe(0);
  });
});

describe("MemtableSlots", () => {
  it("keeps every record findable by its hash1 probe as it grows, with homes in hash1 order", () => {
    const slots = new MemtableSlots();
    const h1s = Uint32Array.from({ length: 50_000 }, (_, i) => (Math.imul(i, 0x9e3779b1) >>> 0) | (i % 10 === 0 ? 0x80000000 : 0));
    h1s.forEach((h1, r) => slots.insert(r, h1));
    expect(slots.used).toBe(h1s.length);
    expect(slots.capacity).toBeGreaterThanOrEqual(2 * h1s.length);
    const t = slots.table;
    const found = new Set<number>();
    for (let r = 0; r < h1s.length; r++) {
      for (let s = slots.home(h1s[r]!); ; s = (s + 1) & slots.mask) {
        expect(t[2 * s]).not.toBe(0);
        if (t[2 * s] === r + 1) {
          expect(t[2 * s + 1]).toBe(h1s[r]);
          found.add(r);
          break;
        }
      }
    }
    expect(found.size).toBe(h1s.length);
    expect(slots.home(0)).toBe(0);
    expect(slots.home(0xffffffff)).toBe(slots.capacity - 1);
    expect(slots.home(0x80000000)).toBe(slots.capacity / 2);
    slots.clear(2048);
    expect([slots.used, slots.capacity, slots.table.every((v) => v === 0)]).toEqual([0, 2048, true]);
  });
});
