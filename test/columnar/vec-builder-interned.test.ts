import { describe, expect, test } from "vitest";
import { hashString } from "../../src/columnar/utf8-hash.ts";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { valueAt, type StrVec } from "../../src/columnar/vector.ts";
import { StringType } from "../../src/types/data-types.ts";

const strings = (v: StrVec): unknown[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i));
const interned = (b: VecBuilder, s: string, id: number, generation: number): void => b.appendInterned(s, id, generation, hashString(s));

describe("VecBuilder.appendInterned", () => {
  test("an id is one dictionary entry within its generation; appendString may bring a string again (dictionaries may repeat one)", () => {
    const b = new VecBuilder(StringType);
    interned(b, "/a", 0, 1);
    interned(b, "/b", 1, 1);
    interned(b, "/a", 0, 1);
    b.appendString("/b");
    b.appendString("/c");
    interned(b, "/c", 2, 1);
    interned(b, "/c", 2, 1);
    const v = b.finish() as StrVec;
    expect(strings(v)).toEqual(["/a", "/b", "/a", "/b", "/c", "/c", "/c"]);
    expect(v.codes[0]).toBe(v.codes[2]);
    expect(v.codes[5]).toBe(v.codes[6]);
    expect(new Set(v.dict)).toEqual(new Set(["/a", "/b", "/c"]));
  });

  test("a new interner generation (ids renumbered) gives each row its own string", () => {
    const b = new VecBuilder(StringType);
    interned(b, "/a", 0, 1);
    interned(b, "/b", 1, 1);
    interned(b, "/b", 0, 2);
    interned(b, "/a", 1, 2);
    interned(b, "/d", 2, 2);
    interned(b, "/d", 2, 2);
    const v = b.finish() as StrVec;
    expect(strings(v)).toEqual(["/a", "/b", "/b", "/a", "/d", "/d"]);
    expect(v.codes[4]).toBe(v.codes[5]);
  });
});
