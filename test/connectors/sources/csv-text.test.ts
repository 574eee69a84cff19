import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import type { StructType } from "../../../src/types/data-types.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { context, put, readAll, removeDir, tempDir } from "./helpers.ts";

let dir: string;
beforeEach(async () => { dir = await tempDir(); });
afterEach(async () => { await removeDir(dir); });

async function load(format: string, text: string, options: Record<string, string>, schema: StructType | null = null) {
  await put(dir, "data", text);
  const provider = resolveSourceProvider(format, options, [dir], schema, true);
  const source = provider.createSource(context(null, true));
  return { provider, rows: await readAll(source), metrics: source.metrics?.() };
}

describe("csv source", () => {
  it("reads a header, quoted fields with separators, doubled and escaped quotes, and quoted newlines", async () => {
    const text = `name,comment\n"Smith, J","said ""hi"""\nLee,"two\nlines"\n"Ann","a \\"b\\""\n`;
    const { provider, rows } = await load("csv", text, { header: "true" });
    expect(provider.schema.toDDL()).toBe("name STRING, comment STRING");
    expect(rows).toEqual([
      { name: "Smith, J", comment: 'said "hi"' },
      { name: "Lee", comment: "two\nlines" },
      { name: "Ann", comment: 'a "b"' },
    ]);
  });

  it("names columns _c0, _c1… without a header and honours sep and nullValue", async () => {
    const { rows } = await load("csv", "a;NA\nb;2\n", { sep: ";", nullValue: "NA" });
    expect(rows).toEqual([{ _c0: "a", _c1: null }, { _c0: "b", _c1: "2" }]);
  });

  it("infers int, long, double, boolean, timestamp and string with inferSchema=true", async () => {
    const text = "i,l,d,b,t,s\n1,3000000000,1.5,true,2026-01-01 10:00:00,x\n2,4,2,false,2026-01-02T00:00:00Z,7\n";
    const { provider, rows } = await load("csv", text, { header: "true", inferSchema: "true" });
    expect(provider.schema.toDDL()).toBe("i INT, l BIGINT, d DOUBLE, b BOOLEAN, t TIMESTAMP, s STRING");
    expect(rows[0]).toEqual({ i: 1, l: 3000000000, d: 1.5, b: true, t: new Date("2026-01-01T10:00:00Z"), s: "x" });
  });

  it("treats a wrong field count or unparsable value as malformed, per parse mode", async () => {
    const schema = parseSchema("a INT, b STRING, _corrupt_record STRING");
    const text = "1,x\n2\nthree,y\n4,z,extra\n";
    const permissive = await load("csv", text, {}, schema);
    expect(permissive.rows).toEqual([
      { a: 1, b: "x", _corrupt_record: null },
      { a: 2, b: null, _corrupt_record: "2" },
      { a: null, b: "y", _corrupt_record: "three,y" },
      { a: 4, b: "z", _corrupt_record: "4,z,extra" },
    ]);
    expect(permissive.metrics).toMatchObject({ numMalformedRecords: "3" });
    const dropped = await load("csv", text, { mode: "DROPMALFORMED" }, schema);
    expect(dropped.rows).toEqual([{ a: 1, b: "x", _corrupt_record: null }]);
    await expect(load("csv", text, { mode: "FAILFAST" }, schema)).rejects.toThrow(/data:2: expected 2 fields, found 1/);
  });
});

describe("text source", () => {
  it("reads one value per line, or one per file with wholetext", async () => {
    const lines = await load("text", "hello\r\n\nworld\n", {});
    expect(lines.provider.schema.toDDL()).toBe("value STRING");
    expect(lines.rows).toEqual([{ value: "hello" }, { value: "" }, { value: "world" }]);
    const whole = await load("text", "a\nb\n", { wholetext: "true" });
    expect(whole.rows).toEqual([{ value: "a\nb\n" }]);
  });
});
