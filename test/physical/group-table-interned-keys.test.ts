import { describe, expect, test } from "vitest";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { dictInternedIdsOf } from "../../src/columnar/dict-interned-ids.ts";
import type { StrVec } from "../../src/columnar/vector.ts";
import { ByteInterner, FRESH, hashBytes } from "../../src/connectors/sources/byte-interner.ts";
import { GroupTable } from "../../src/physical/group-table/group-table.ts";
import type { EncodedKeys } from "../../src/physical/group-table/key-column.ts";
import { StringType } from "../../src/types/data-types.ts";

/** A decoder's string column: each value interned by its bytes and appended with its id, as the JSON decoder does; plain strings as `=text`. */
function decoded(interners: Record<string, ByteInterner>, values: string[]): StrVec {
  const b = new VecBuilder(StringType);
  for (const v of values) {
    const [name, text] = v.split(":") as [string, string];
    if (name === "=") { b.appendString(text); continue; }
    const interner = interners[name]!;
    const bytes = Buffer.from(text);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const h = hashBytes(bytes, dv, 0, bytes.length);
    const s = interner.intern(bytes, dv, 0, bytes.length, h);
    if (interner.lastId >= 0) b.appendInterned(s, interner.lastId, interner.generation, h);
    else if (interner.lastId === FRESH) b.appendFresh(s, h);
    else b.appendString(s);
  }
  return b.finish() as StrVec;
}

/** The slots of a batch's rows as an aggregation finds them: local ids first (the table's own codes), then each row's key. */
function slotsOf(table: GroupTable, vec: StrVec): number[] {
  const n = vec.length;
  table.columns[0]!.localIds(vec, n, null);
  const keys: EncodedKeys = { tags: [new Uint8Array(n)], words: [new Float64Array(n)] };
  table.columns[0]!.encodeRows(vec, Int32Array.from({ length: n }, (_, i) => i), n, keys.tags[0]!, keys.words[0]!);
  const hashes = new Int32Array(n);
  table.hash(keys, n, hashes);
  const out = new Int32Array(n);
  table.findOrInsert(keys, hashes, n, out);
  return [...out];
}

const keyOf = (table: GroupTable) => (slot: number): unknown => table.keyValues(slot)[0];

describe("a group table's string keys from interned vectors (ids mapped to the table's codes by index)", () => {
  test("the vector carries its entries' interner ids and generation; plain entries have none", () => {
    const a = new ByteInterner();
    const vec = decoded({ a }, ["a:/x", "=:/y", "a:/z", "a:/x"]);
    const ids = dictInternedIdsOf(vec.dict)!;
    expect(ids.generation).toBe(a.generation);
    expect([...ids.ids]).toEqual([0, -1, 1]);
  });

  test("strings meet on their groups across batches, interners (whose ids coincide), plain strings and a generation change mid-batch", () => {
    const interners = { a: new ByteInterner(), b: new ByteInterner() };
    expect(interners.a.generation).not.toBe(interners.b.generation);
    const table = new GroupTable([StringType]);
    const key = keyOf(table);
    const batches = [
      ["a:/x", "a:/y", "a:/x"],
      ["a:/y", "a:/z", "=:/x"],
      // Interner b numbers its strings from 0 too: its id 0 is "/z", which is a's "/x".
      ["b:/z", "b:/w", "b:/x", "a:/w"],
      ["a:/x", "b:/y", "a:/y", "=:/q", "b:/q"],
    ];
    const slotOf = new Map<string, number>();
    for (const values of batches) {
      const slots = slotsOf(table, decoded(interners, values));
      values.forEach((v, i) => {
        const text = v.split(":")[1]!;
        expect(key(slots[i]!)).toBe(text);
        if (slotOf.has(text)) expect(slots[i]).toBe(slotOf.get(text));
        else slotOf.set(text, slots[i]!);
      });
    }
    expect(table.size).toBe(5);
  });

  test("after the interner is cleared (ids renumbered, also mid-batch) and after the table compacts its codes, every string still finds its group", () => {
    const interner = new ByteInterner(512, 1 << 16, 0); // never passes values through unlooked-up (FRESH)
    const table = new GroupTable([StringType]);
    const key = keyOf(table);
    const values = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `a:/u${from + i}`);
    const generation = interner.generation;
    // 600 distinct strings overflow the interner's 512 entries: it clears and renumbers within the batch.
    const first = slotsOf(table, decoded({ a: interner }, values(0, 600)));
    expect(interner.generation).not.toBe(generation);
    const second = slotsOf(table, decoded({ a: interner }, values(600, 1200)));
    expect(slotsOf(table, decoded({ a: interner }, values(0, 600)))).toEqual(first);
    expect(table.size).toBe(1200);
    // Remove most groups: the dictionary compacts, codes change, the next batches still find the rest.
    [...first, ...second].forEach((slot, i) => { if (i % 8 !== 0) table.remove(slot); });
    table.compactDictionaries();
    expect(table.columns[0]!.strings.length).toBe(150);
    const kept = Array.from({ length: 150 }, (_, k) => `a:/u${k * 8}`).reverse();
    expect(slotsOf(table, decoded({ a: interner }, kept)).map(key)).toEqual(kept.map((v) => v.slice(2)));
    expect(table.size).toBe(150);
    expect(slotsOf(table, decoded({ a: interner }, ["a:/u1", "a:/u8", "a:/u1"])).map(key)).toEqual(["/u1", "/u8", "/u1"]);
    expect(table.size).toBe(151);
  });
});
