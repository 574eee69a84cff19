import { describe, expect, test } from "vitest";
import { expandBraces, globSegmentRegExp, isGlobPattern } from "../../../src/connectors/sources/hadoop-glob.ts";

describe("Hadoop glob syntax", () => {
  test("a path is a pattern when it holds any of {}[]*?\\ (Spark's isGlobPath)", () => {
    for (const p of ["a/*", "a/?", "a/[ab]", "a/{x,y}", "a/\\x"]) expect(isGlobPattern(p)).toBe(true);
    expect(isGlobPattern("/tmp/logs/2024-01.json")).toBe(false);
  });

  test("* and ? stay inside a segment; classes, ranges and negations", () => {
    const m = (pattern: string, names: string[]) => names.filter((n) => globSegmentRegExp(pattern).test(n));
    expect(m("2024-*", ["2024-01", "2024-", "2023-12", "x2024-01"])).toEqual(["2024-01", "2024-"]);
    expect(m("part-0?.csv", ["part-01.csv", "part-1.csv", "part-012.csv"])).toEqual(["part-01.csv"]);
    expect(m("part-0[0-4].csv", ["part-00.csv", "part-04.csv", "part-05.csv"])).toEqual(["part-00.csv", "part-04.csv"]);
    expect(m("[abc].json", ["a.json", "d.json"])).toEqual(["a.json"]);
    expect(m("[^a]*", ["abc", "bcd"])).toEqual(["bcd"]);
    expect(m("[!a]*", ["abc", "bcd"])).toEqual(["bcd"]);
    expect(m("{a,b}.json", ["a.json", "b.json", "c.json"])).toEqual(["a.json", "b.json"]);
    expect(m("*.{json,csv}", ["x.json", "x.csv", "x.txt"])).toEqual(["x.json", "x.csv"]);
    // Regular-expression characters are plain characters in a glob.
    expect(m("a.b+(c)", ["a.b+(c)", "axb+(c)"])).toEqual(["a.b+(c)"]);
  });

  test("a backslash escapes the next character", () => {
    expect(globSegmentRegExp("a\\*b").test("a*b")).toBe(true);
    expect(globSegmentRegExp("a\\*b").test("axb")).toBe(false);
    expect(globSegmentRegExp("\\[x\\]").test("[x]")).toBe(true);
  });

  test("braces expand across segments, nested, escaped braces stay", () => {
    expect(expandBraces("/logs/{a,b/c}/*.json")).toEqual(["/logs/a/*.json", "/logs/b/c/*.json"]);
    expect(expandBraces("/x/{a,b{1,2}}")).toEqual(["/x/a", "/x/b1", "/x/b2"]);
    expect(expandBraces("/x/\\{a,b\\}")).toEqual(["/x/\\{a,b\\}"]);
  });

  test("malformed patterns are refused, not matched against nothing", () => {
    expect(() => globSegmentRegExp("[abc")).toThrow(/Illegal file pattern: Unclosed character class/);
    expect(() => expandBraces("/x/{a,b")).toThrow(/Illegal file pattern: Unclosed group/);
    expect(() => globSegmentRegExp("abc\\")).toThrow(/Illegal file pattern: Missing escaped character/);
  });
});
