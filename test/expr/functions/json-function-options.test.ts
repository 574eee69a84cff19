import { describe, expect, test } from "vitest";
import { Session, col, from_json, struct, to_json } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();

/** Spark's JSONOptions as from_json and to_json take them (a map() in SQL, an object in the DataFrame API). */
describe("from_json options", () => {
  test("parser features: comments, unquoted names, single quotes, leading zeros, NaN, escapes, control characters", async () => {
    const cases: [string, string, Record<string, string>, unknown][] = [
      ["comments", '{"n": 1 /* one */} // end', { allowComments: "true" }, { n: 1 }],
      ["no comments by default", '{"n": 1 /* one */}', {}, { n: null }],
      ["unquoted names", "{n: 2}", { allowUnquotedFieldNames: "true" }, { n: 2 }],
      ["unquoted names off by default", "{n: 2}", {}, { n: null }],
      ["single quotes by default", "{'n': 3}", {}, { n: 3 }],
      ["single quotes off", "{'n': 3}", { allowSingleQuotes: "false" }, { n: null }],
      ["leading zeros", '{"n": 007}', { allowNumericLeadingZeros: "true" }, { n: 7 }],
      ["leading zeros off by default", '{"n": 007}', {}, { n: null }],
      ["escaping any character", '{"n": 8, "s": "a\\qb"}', { allowBackslashEscapingAnyCharacter: "true" }, { n: 8, s: "aqb" }],
      ["unknown escape off by default", '{"n": 8, "s": "a\\qb"}', {}, { n: null, s: null }],
      ["raw control characters", '{"n": 9, "s": "a\tb"}', { allowUnquotedControlChars: "true" }, { n: 9, s: "a\tb" }],
    ];
    for (const [what, text, options, expected] of cases) {
      const [row] = await spark.createDataFrame([{ t: text }], "t STRING").select(from_json(col("t"), "n INT, s STRING", options).as("r")).collect();
      expect({ what, r: row!.r }).toEqual({ what, r: { s: null, ...(expected as object) } });
    }
    const [nan] = await spark.sql(`SELECT from_json('{"d": NaN, "e": -Infinity}', 'd DOUBLE, e DOUBLE') AS a,
      from_json('{"d": NaN}', 'd DOUBLE', map('allowNonNumericNumbers', 'false')) AS b`).collect();
    expect(nan).toEqual({ a: { d: NaN, e: -Infinity }, b: { d: null } });
  });

  test("SQL map() options; a bad boolean or an unknown name is refused", async () => {
    const [row] = await spark.sql(`SELECT from_json('{a: 1, /* c */ b: \\'x\\'}', 'a INT, b STRING', map('allowUnquotedFieldNames', 'true', 'allowComments', 'TRUE')) AS r`).collect();
    expect(row).toEqual({ r: { a: 1, b: "x" } });
    expect(() => spark.sql("SELECT from_json('{}', 'a INT', map('allowComments', 'yes'))")).toThrow("The value 'yes' of the option 'allowComments' is not a boolean");
    expect(() => spark.sql("SELECT from_json('{}', 'a INT', map('allowComment', 'true'))")).toThrow("option 'allowComment' is not a JSON option Spark knows");
    // Options of the JSON source that do not concern one value are accepted, as Spark does.
    expect(await spark.sql("SELECT from_json('{\"a\": 1}', 'a INT', map('multiLine', 'true', 'samplingRatio', '0.5')) AS r").collect()).toEqual([{ r: { a: 1 } }]);
  });

  test("columnNameOfCorruptRecord: the malformed record's text in PERMISSIVE, with the fields that parsed (default _corrupt_record)", async () => {
    const df = spark.createDataFrame([{ t: '{"a": 1, "b": "x"}' }, { t: '{"a": "one", "b": "y"}' }, { t: "oops" }], "t STRING");
    const rows = await df.select(from_json(col("t"), "a INT, b STRING, bad STRING", { columnNameOfCorruptRecord: "bad" }).as("r")).collect();
    expect(rows.map((r) => r.r)).toEqual([
      { a: 1, b: "x", bad: null },
      { a: null, b: "y", bad: '{"a": "one", "b": "y"}' },
      { a: null, b: null, bad: "oops" },
    ]);
    df.createOrReplaceTempView("corrupt_records");
    const sql = await spark.sql("SELECT from_json(t, 'a INT, _corrupt_record STRING') AS r FROM corrupt_records").collect();
    expect(sql.map((r) => r.r)).toEqual([{ a: 1, _corrupt_record: null }, { a: null, _corrupt_record: '{"a": "one", "b": "y"}' }, { a: null, _corrupt_record: "oops" }]);
    // A key of that name in the JSON is not read into the column.
    expect(await spark.sql(`SELECT from_json('{"a": 2, "_corrupt_record": "mine"}', 'a INT, _corrupt_record STRING') AS r`).collect()).toEqual([{ r: { a: 2, _corrupt_record: null } }]);
    expect(() => spark.sql("SELECT from_json(t, 'a INT, _corrupt_record INT') FROM corrupt_records"))
      .toThrow("[INVALID_CORRUPT_RECORD_TYPE] The column `_corrupt_record` for corrupt records must have the nullable STRING type, but got INT.");
    await expect(spark.sql("SELECT from_json(t, 'a INT, _corrupt_record STRING', map('mode', 'FAILFAST')) FROM corrupt_records").collect())
      .rejects.toThrow("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION]");
  });

  test("timestampFormat, dateFormat and timeZone parse strictly; nested fields too", async () => {
    const [row] = await spark.sql(`SELECT from_json('{"t": "01/02/2024 10:30", "d": "02.01.2024", "a": ["03/02/2024 00:00"], "bad": "2024-01-02"}',
      't TIMESTAMP, d DATE, a ARRAY<TIMESTAMP>', map('timestampFormat', 'dd/MM/yyyy HH:mm', 'dateFormat', 'dd.MM.yyyy', 'timeZone', 'America/New_York')) AS r,
      from_json('{"t": "2024-01-02 10:30:00"}', 't TIMESTAMP', map('timestampFormat', 'dd/MM/yyyy HH:mm')) AS strict`).collect();
    expect(row).toEqual({
      r: { t: new Date("2024-02-01T15:30:00Z"), d: new Date("2024-01-02T00:00:00Z"), a: [new Date("2024-02-03T05:00:00Z")] },
      strict: { t: null },
    });
  });
});

describe("to_json options", () => {
  test("ignoreNullFields=false writes null fields; pretty is Jackson's default pretty printer", async () => {
    const [row] = await spark.sql(`SELECT to_json(named_struct('a', 1, 'b', CAST(NULL AS STRING), 'c', named_struct('d', array(1, 2), 'e', array())), map('ignoreNullFields', 'false')) AS nulls,
      to_json(named_struct('a', 1, 'b', CAST(NULL AS STRING), 'c', named_struct('d', array(1, 2), 'e', named_struct('f', 'x'))), map('pretty', 'true')) AS pretty,
      to_json(array(named_struct('a', 1), named_struct('a', 2)), map('pretty', 'true')) AS pretty_array`).collect();
    expect(row!.nulls).toBe('{"a":1,"b":null,"c":{"d":[1,2],"e":[]}}');
    expect(row!.pretty).toBe('{\n  "a" : 1,\n  "c" : {\n    "d" : [ 1, 2 ],\n    "e" : {\n      "f" : "x"\n    }\n  }\n}');
    expect(row!.pretty_array).toBe('[ {\n  "a" : 1\n}, {\n  "a" : 2\n} ]');
    const df = spark.createDataFrame([{ a: 1, b: null }], "a INT, b STRING");
    expect(await df.select(to_json(struct(col("a"), col("b")), { ignoreNullFields: "false" }).as("j"), to_json(struct(col("a"), col("b"))).as("k")).collect())
      .toEqual([{ j: '{"a":1,"b":null}', k: '{"a":1}' }]);
  });

  test("timestampFormat, dateFormat and timeZone shape the text", async () => {
    const [row] = await spark.sql(`SELECT to_json(named_struct('t', TIMESTAMP'2024-01-02 03:04:05', 'd', DATE'2024-01-02'),
      map('timestampFormat', 'yyyy/MM/dd HH:mm', 'dateFormat', 'dd.MM.yyyy', 'timeZone', 'Asia/Tokyo')) AS j`).collect();
    expect(row).toEqual({ j: '{"t":"2024/01/02 12:04","d":"02.01.2024"}' });
  });

  test("a map with struct keys names each field by the key's UnsafeRow text, as Spark's JacksonGenerator does", async () => {
    const df = spark.createDataFrame([{ k: 1, s: "x", v: "one" }, { k: -1, s: "hello world", v: "two" }], "k INT, s STRING, v STRING");
    const rows = await df.selectExpr("to_json(map(named_struct('k', k), v)) AS a", "to_json(map(named_struct('k', k, 's', s), v)) AS b").collect();
    expect(rows).toEqual([
      { a: '{"[0,1]":"one"}', b: '{"[0,1,1800000001,78]":"one"}' },
      { a: '{"[0,ffffffff]":"two"}', b: '{"[0,ffffffff,180000000b,6f77206f6c6c6568,646c72]":"two"}' },
    ]);
    const nullField = await spark.sql("SELECT to_json(map(named_struct('a', CAST(NULL AS BIGINT), 'b', 2.5D), 1)) AS j").collect();
    expect(nullField).toEqual([{ j: '{"[1,0,4004000000000000]":1}' }]);
  });
});
