import { describe, expect, test } from "vitest";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { valueAt, type StrVec } from "../../src/columnar/vector.ts";
import { StringType } from "../../src/types/data-types.ts";

const strings = (v: StrVec): unknown[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i));

describe("VecBuilder.appendInterned", () => {
  test("a string interned once per id is one dictionary entry, also when appendString brings it again", () => {
    const b = new VecBuilder(StringType);
    b.appendInterned("/a", 0, 1);
    b.appendInterned("/b", 1, 1);
    b.appendInterned("/a", 0, 1);
    b.appendString("/b");
    b.appendString("/c");
    b.appendInterned("/c", 2, 1);
    const v = b.finish() as StrVec;
    expect(strings(v)).toEqual(["/a", "/b", "/a", "/b", "/c", "/c"]);
    expect(v.dict).toEqual(["/a", "/b", "/c"]);
    expect([...v.codes]).toEqual([0, 1, 0, 1, 2, 2]);
  });

  test("a new interner generation (ids renumbered) finds the strings already in the dictionary", () => {
    const b = new VecBuilder(StringType);
    b.appendInterned("/a", 0, 1);
    b.appendInterned("/b", 1, 1);
    b.appendInterned("/b", 0, 2);
    b.appendInterned("/a", 1, 2);
    b.appendInterned("/d", 2, 2);
    const v = b.finish() as StrVec;
    expect(strings(v)).toEqual(["/a", "/b", "/b", "/a", "/d"]);
    expect(v.dict).toEqual(["/a", "/b", "/d"]);
  });
});
