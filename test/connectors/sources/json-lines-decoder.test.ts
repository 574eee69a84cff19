import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectorError } from "../../../src/common/errors.ts";
import { resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { context, put, readAll, removeDir, tempDir } from "./helpers.ts";

let dir: string;
beforeEach(async () => { dir = await tempDir(); });
afterEach(async () => { await removeDir(dir); });

async function readJson(lines: string[], ddl: string, options: Record<string, string> = {}, columns?: string[]) {
  await put(dir, "part-0.json", lines.join("\n") + "\n");
  const provider = resolveSourceProvider("json", options, [dir], parseSchema(ddl), true);
  const source = provider.createSource(context(null, true));
  const rows = await readAll(source, columns ? { columns } : undefined);
  return { rows, metrics: source.metrics!() };
}

describe("JSON lines decoding", () => {
  it("decodes every type", async () => {
    const { rows } = await readJson(
      [
        `{"s":"a\\"b\\u0041","i":7,"l":12345678901,"d":1.5,"b":true,"t":"2026-01-01T10:00:03.123Z","dt":"2026-01-02",` +
          `"st":{"x":1,"y":"y","Y":"upper"},"arr":[1,2,null],"m":{"k":2.5}}`,
        `{"s":null,"i":-3,"d":2,"b":false,"t":1767261600}`,
      ],
      "s STRING, i INT, l BIGINT, d DOUBLE, b BOOLEAN, t TIMESTAMP, dt DATE, st STRUCT<x: BIGINT, y: STRING>, arr ARRAY<BIGINT>, m MAP<STRING, DOUBLE>",
    );
    expect(rows[0]).toEqual({
      s: 'a"bA', i: 7, l: 12345678901, d: 1.5, b: true,
      t: new Date("2026-01-01T10:00:03.123Z"), dt: new Date("2026-01-02T00:00:00Z"),
      st: { x: 1, y: "y" }, arr: [1, 2, null], m: new Map([["k", 2.5]]),
    });
    expect(rows[1]).toEqual({
      s: null, i: -3, l: null, d: 2, b: false, t: new Date(1767261600 * 1000), dt: null, st: null, arr: null, m: null,
    });
  });

  it("accepts single quotes, skips blank lines and writes a non-string value's JSON again in a string column", async () => {
    const { rows } = await readJson([`{'a': 'x y', "b": {"n": [1, 2]}}`, "", "  ", `{"a": 5, "b": "t"}`], "a STRING, b STRING");
    expect(rows).toEqual([{ a: "x y", b: '{"n":[1,2]}' }, { a: "5", b: "t" }]);
  });

  it("matches field names exactly (Spark's JacksonParser), the last repeated key winning", async () => {
    const { rows } = await readJson([`{"USERID":"u1","userId":"u2"}`, `{"USERID":"u3"}`, `{"userId":"u4","userId":"u5"}`], "userId STRING");
    expect(rows).toEqual([{ userId: "u2" }, { userId: null }, { userId: "u5" }]);
  });

  it("decodes only the requested columns and returns them in schema order", async () => {
    const { rows } = await readJson(
      [`{"time":"2026-01-01T10:00:03.123Z","action":"click","url":"/a/b","userId":"u123","bytes":5234}`],
      "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT",
      {},
      ["bytes", "action"],
    );
    expect(rows).toEqual([{ action: "click", bytes: 5234 }]);
  });

  it("PERMISSIVE: nulls where a value did not decode, the raw line in the corrupt-record column", async () => {
    const { rows, metrics } = await readJson(
      [`{"a":1,"b":"x"}`, `{"a":"one","b":"y"}`, `{"a":2,`, `{"a":1.5}`],
      "a BIGINT, b STRING, _corrupt_record STRING",
    );
    expect(rows).toEqual([
      { a: 1, b: "x", _corrupt_record: null },
      { a: null, b: "y", _corrupt_record: `{"a":"one","b":"y"}` },
      { a: null, b: null, _corrupt_record: `{"a":2,` },
      { a: null, b: null, _corrupt_record: `{"a":1.5}` },
    ]);
    expect(metrics.numMalformedRecords).toBe("3");
  });

  it("PERMISSIVE honours columnNameOfCorruptRecord and works without such a column", async () => {
    const named = await readJson([`not json`], "a BIGINT, bad STRING", { columnNameOfCorruptRecord: "bad" });
    expect(named.rows).toEqual([{ a: null, bad: "not json" }]);
    const plain = await readJson([`{"a":true}`], "a BIGINT");
    expect(plain.rows).toEqual([{ a: null }]);
  });

  it("DROPMALFORMED drops malformed lines and counts them", async () => {
    const { rows, metrics } = await readJson([`{"a":1}`, `{"a":"x"}`, `[1]`, `{"a":3}`], "a INT", { MODE: "dropMalformed" });
    expect(rows).toEqual([{ a: 1 }, { a: 3 }]);
    expect(metrics.numMalformedRecords).toBe("2");
  });

  it("FAILFAST names the file, the line and the problem", async () => {
    const failing = readJson([`{"a":1}`, `{"a":2}`, `{"a":"x"}`], "a INT", { mode: "FAILFAST" });
    await expect(failing).rejects.toThrow(ConnectorError);
    await expect(failing).rejects.toThrow(/part-0\.json:3: field 'a': cannot convert "x" to int/);
  });

  it("treats invalid timestamps and out-of-range ints as malformed", async () => {
    const { rows, metrics } = await readJson([`{"t":"yesterday","i":3000000000}`], "t TIMESTAMP, i INT");
    expect(rows).toEqual([{ t: null, i: null }]);
    expect(metrics.numMalformedRecords).toBe("1");
  });

  it("decodes UTF-8 values from the bytes, repeated or unique, and counts error columns in characters", async () => {
    const many = Array.from({ length: 70_000 }, (_, i) => `{"a":"ü${i % 3 === 0 ? i : "same"}","n":${i}.25}`);
    const { rows } = await readJson(many, "a STRING, n DOUBLE");
    expect(rows.length).toBe(70_000);
    rows.forEach((r, i) => expect(r).toEqual({ a: `ü${i % 3 === 0 ? i : "same"}`, n: i + 0.25 }));
    const failing = readJson([`{"é":"日本", "a": tru}`], "a BOOLEAN", { mode: "FAILFAST" });
    await expect(failing).rejects.toThrow(/expected a value at column 17, found 't'/);
  });

  it("parses decimals exactly as JavaScript does", async () => {
    const texts = ["0.1", "-2.675", "123456789.123456", "1.7976931348623157e308", "5e-324", "0.30000000000000004", "12345678901234567890.5"];
    const { rows } = await readJson(texts.map((t) => `{"d":${t}}`), "d DOUBLE");
    expect(rows.map((r) => r.d)).toEqual(texts.map(Number));
  });

  it("never lets a value run past its line: an unterminated string is one malformed line", async () => {
    const { rows, metrics } = await readJson(['{"a":"x', 'y", "n": 1}', '{"a":"ok\\', '{"a":"z","n":2}\r', "{\"a\":\"w\"} \r"], "a STRING, n INT, _corrupt_record STRING");
    expect(rows).toEqual([
      { a: null, n: null, _corrupt_record: '{"a":"x' },
      { a: null, n: null, _corrupt_record: 'y", "n": 1}' },
      { a: null, n: null, _corrupt_record: '{"a":"ok\\' },
      { a: "z", n: 2, _corrupt_record: null },
      { a: "w", n: null, _corrupt_record: null },
    ]);
    expect(metrics.numMalformedRecords).toBe("3");
  });
});
