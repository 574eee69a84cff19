import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { batchToRows } from "../../../src/columnar/values.ts";
import { BatchAssembler } from "../../../src/connectors/sources/batch-assembler.ts";
import { JsonLinesDecoder } from "../../../src/connectors/sources/json-lines-decoder.ts";
import { MalformedRecords, type ParseMode } from "../../../src/connectors/sources/parse-mode.ts";
import type { SourcePredicate } from "../../../src/connectors/source.ts";
import { parseSchema } from "../../../src/types/ddl.ts";

// The compiled fast path must decode exactly what the general path decodes: each case
// below is decoded once after lines that teach the decoder a shape (so the fast path is
// tried on it first) and once alone (the general path only), and both must agree on the
// rows and on what was reported malformed.

const DDL = "time TIMESTAMP, action STRING, url STRING, n INT, bytes BIGINT, ratio DOUBLE, ok BOOLEAN, _corrupt_record STRING";
const BASE = `{"time":"2026-01-01T00:00:00.023Z","action":"view","url":"/a/1","n":3,"bytes":9524,"ratio":0.25,"ok":true,"extra":"x"}`;
/** Enough lines of BASE's shape for the decoder to learn it and switch to the fast path. */
const TEACH = Array.from({ length: 600 }, () => BASE);

interface Decoded { rows: Record<string, unknown>[]; reported: string[]; compiledLines?: number }

function decode(lines: readonly string[], options: { columns?: string[]; filters?: SourcePredicate[]; mode?: ParseMode; trailing?: string } = {}): Decoded {
  const reported: string[] = [];
  const malformed = new MalformedRecords(options.mode ?? "PERMISSIVE", "json");
  const report = malformed.report.bind(malformed);
  malformed.report = (path, line, reason) => { reported.push(`${line}: ${reason}`); return report(path, line, reason); };
  const decoder = new JsonLinesDecoder(parseSchema(DDL), options.columns, { corruptRecordColumn: "_corrupt_record", malformed, filters: options.filters });
  const out = new BatchAssembler(decoder.outputSchema);
  const text = Buffer.from(lines.join("\n"));
  // Bytes after the block's end (a reused read buffer holds stale bytes there) must never be read as part of a line.
  const b = Buffer.concat([text, Buffer.from(options.trailing ?? "")]);
  decoder.decodeLines(b, 0, text.length, "f.json", 1, out);
  return { rows: out.finishColumns().flatMap((batch) => batchToRows(batch)), reported, compiledLines: decoder.compiledLines };
}

/** `line` decoded after the teaching lines, and alone. */
function both(line: string, options: Parameters<typeof decode>[1] = {}): { fast: Decoded; general: Decoded } {
  const taught = decode([...TEACH, line], options);
  const alone = decode([line], options);
  expect(alone.compiledLines).toBe(0);
  expect(taught.compiledLines).toBeGreaterThanOrEqual(TEACH.length - 1); // the fast path did run
  delete alone.compiledLines;
  return {
    fast: { rows: taught.rows.slice(TEACH.length), reported: taught.reported.map((r) => r.replace(/^\d+:/, "1:")) },
    general: alone,
  };
}

const CASES: string[] = [
  BASE,
  BASE.replace(`"action":"view"`, `"action":null`),
  BASE.replace(`"action":"view"`, `"action":17`),
  BASE.replace(`"action":"view"`, `"action":"v\\"iew"`),
  BASE.replace(`"action":"view"`, `"action":'view'`),
  BASE.replace(`"action":"view"`, `"action":"vïëw ✓"`),
  BASE.replace(`"url":"/a/1"`, `"url":{"p":[1,2]}`),
  BASE.replace(`"n":3`, `"n":3000000000`),
  BASE.replace(`"n":3`, `"n":-0`),
  BASE.replace(`"n":3`, `"n":3.5`),
  BASE.replace(`"n":3`, `"n":"3"`),
  BASE.replace(`"bytes":9524`, `"bytes":1234567890123456789`),
  BASE.replace(`"bytes":9524`, `"bytes":-12`),
  BASE.replace(`"bytes":9524`, `"bytes":1e3`),
  BASE.replace(`"bytes":9524`, `"bytes":+5`),
  BASE.replace(`"bytes":9524`, `"bytes":-`),
  BASE.replace(`"bytes":9524`, `"bytes":null`),
  BASE.replace(`"ratio":0.25`, `"ratio":-0.5`),
  BASE.replace(`"ratio":0.25`, `"ratio":-0.0`),
  BASE.replace(`"ratio":0.25`, `"ratio":12345678.123456789`),
  BASE.replace(`"ratio":0.25`, `"ratio":2.5e-3`),
  BASE.replace(`"ratio":0.25`, `"ratio":7`),
  BASE.replace(`"ratio":0.25`, `"ratio":"NaN"`),
  BASE.replace(`"ratio":0.25`, `"ratio":1.`),
  BASE.replace(`"ok":true`, `"ok":false`),
  BASE.replace(`"ok":true`, `"ok":null`),
  BASE.replace(`"ok":true`, `"ok":tru`),
  BASE.replace(`"ok":true`, `"ok":1`),
  BASE.replace(`"extra":"x"`, `"extra":"a\\nb"`),
  BASE.replace(`"extra":"x"`, `"extra":-1.5e+7`),
  BASE.replace(`"extra":"x"`, `"extra":[1,{"a":2}]`),
  BASE.replace(`"extra":"x"`, `"extra":nul`),
  BASE.replace(`"extra":"x"`, `"extra":01`),
  BASE.replace(`"extra":"x"`, `"extra":1.e5`),
  ...[
    "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456Z", "2026-01-01T00:00:00.123456789Z", "2026-02-29T00:00:00Z",
    "2024-02-29T23:59:59.9Z", "2026-01-31T10:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+02:00",
    "2026-01-01 00:00:00", "2026-01-01", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.1x3Z", "1969-12-31T23:59:59.999999Z", "",
  ].map((t) => BASE.replace(`"2026-01-01T00:00:00.023Z"`, JSON.stringify(t))),
  BASE.replace(`"time":"2026-01-01T00:00:00.023Z"`, `"time":1767261600`),
  BASE.replace(`"time":"2026-01-01T00:00:00.023Z"`, `"time":"2026-01-01T00:00:00.023Z`),
  BASE.replace(`"url":"/a/1",`, ""),
  BASE.replace(`"url":"/a/1",`, `"url":"/a/1","url":"/b",`),
  BASE.replace(`"url":"/a/1",`, `"URL":"/a/1",`),
  BASE.replace(`"url":"/a/1"`, `"url": "/a/1"`),
  BASE.replace(`"url":"/a/1"`, `"_corrupt_record":"c"`),
  BASE + " ",
  BASE + "\r",
  BASE + "x",
  BASE + "}",
  " " + BASE,
  BASE.slice(0, -1),
  BASE.slice(0, 40),
  "",
  "{}",
  "[1]",
];

describe("the compiled fast path for lines of one shape", () => {
  it.each(CASES.map((c) => [c]))("decodes %s as the general path does", (line) => {
    const { fast, general } = both(line);
    expect(fast).toEqual(general);
  });

  it("agrees with the general path on pruned columns, DROPMALFORMED and pushed filters", () => {
    const filters: SourcePredicate[] = [{ kind: "compare", column: "bytes", op: ">", value: 100 }];
    for (const line of CASES) {
      for (const options of [{ columns: ["url", "time"] }, { mode: "DROPMALFORMED" as const }, { filters }]) {
        const { fast, general } = both(line, options);
        expect(fast, `${line} with ${JSON.stringify(options)}`).toEqual(general);
      }
    }
  });

  it("never reads a line on into the stale bytes after its block", () => {
    // Cut inside a string, and inside a number with only numbers after it (no string scan to stop at the end).
    const numeric = `{"url":"/a","bytes":9524,"n":3}`;
    for (const [line, at] of [[BASE, 50], [numeric, numeric.indexOf("24,")]] as const) {
      const cut = line.slice(0, at);
      const { rows, reported, compiledLines } = decode([...Array.from({ length: 600 }, () => line), cut], { trailing: line.slice(at) + "\n" });
      expect(compiledLines).toBeGreaterThan(500);
      expect(rows).toHaveLength(601);
      expect(rows.at(-1)).toMatchObject({ url: null, bytes: null, _corrupt_record: cut });
      expect(reported).toEqual([`601: invalid JSON: expected ',' or '}' at column ${at + 1}, found end of input`]);
    }
  });

  it("ends a last line cut inside a timestamp's fraction, with no byte after it (no scan past the buffer)", () => {
    for (const cut of [BASE.indexOf(".023") + 1, BASE.indexOf(".023") + 2, BASE.indexOf(".023") + 4]) {
      const line = BASE.slice(0, cut);
      const { rows, reported, compiledLines } = decode([...TEACH, line]); // the buffer ends where the line does
      expect(compiledLines).toBe(TEACH.length - 1);
      expect(rows.at(-1)).toMatchObject({ time: null, _corrupt_record: line });
      expect(reported).toHaveLength(1);
    }
  });

  it("keeps decoding when the shape changes, learning the new one, and with CRLF line ends", () => {
    const other = `{"url":"/z","time":"2026-01-01T01:00:00Z","bytes":7}`;
    const lines = [...TEACH, ...Array.from({ length: 600 }, () => other), BASE].map((l) => l + "\r");
    const { rows, reported } = decode(lines);
    expect(reported).toEqual([]);
    expect(rows).toHaveLength(1201);
    expect(rows[600]).toMatchObject({ url: "/z", bytes: 7, action: null, time: new Date("2026-01-01T01:00:00Z") });
    expect(rows[1200]).toMatchObject({ url: "/a/1", bytes: 9524, action: "view", n: 3, ratio: 0.25, ok: true });
  });

  it("leaves every line to the general decoder where code generation is disallowed", () => {
    const script = new URL("./fixtures/decode-lines.ts", import.meta.url).pathname;
    const run = (flags: string[]): unknown => JSON.parse(execFileSync(process.execPath, [...flags, "--import", "tsx", script], { encoding: "utf8" }));
    const expected = { lines: 2000, rows: 2000, sum: 1999 * 1000 };
    expect(run([])).toEqual({ ...expected, compiled: 1999 });
    expect(run(["--disallow-code-generation-from-strings"])).toEqual({ ...expected, compiled: 0 });
  });
});
