import * as arrow from "apache-arrow";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fromRecordBatch } from "../../../src/columnar/arrow-convert.ts";
import { batchToRows } from "../../../src/columnar/values.ts";
import { ByteInterner, hashBytes } from "../../../src/connectors/sources/byte-interner.ts";
import { resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import { utf8Text } from "../../../src/columnar/utf8-text.ts";
import { Session } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { context, removeDir, tempDir } from "./helpers.ts";

/**
 * The strings a JSON source hands out, read the ways a consumer reads them: as Arrow
 * (values, IPC, slices: the dictionary is built when first read, arrow-convert.ts), as the
 * engine's rows, and through foreachBatch — against JSON.parse of the same lines.
 */

let dir: string;
beforeEach(async () => { dir = await tempDir(); });
afterEach(async () => { await removeDir(dir); });

const SCHEMA = parseSchema("s STRING, n BIGINT, _corrupt_record STRING");

/** Lines with what string decoding must get right, each value also repeated (interner hits). */
const SPECIAL = [
  `{"s":"plain","n":1}`,
  `{"s":"café ünïcödé","n":2}`,
  `{"s":"caf\\u00e9","n":3}`,
  `{"s":"say \\"hi\\" \\\\ back","n":4}`,
  `{"s":"😀 face","n":5}`,
  `{"s":"\\ud83d\\ude00","n":6}`,
  `{"s":"","n":7}`,
  `{"s":null,"n":8}`,
  `{"n":9}`,
  `{"s":"日本語テキスト","n":10}`,
  `{"s":"abcé","n":11}`,
  `{"s":"abcdefgé","n":12}`,
  `{"s":"é","n":13}`,
];

/** Unique values, ASCII and not, of every length up to 40: more than the interner judges a column by, so that it passes them through (FRESH). */
function uniqueLines(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const tail = i % 3 === 0 ? "ü" : i % 3 === 1 ? "🚀" : "";
    const body = `id${i.toString(36)}-${"x".repeat(i % 40)}`;
    out.push(JSON.stringify({ s: i % 2 === 0 ? body + tail : tail + body, n: 100 + i }));
  }
  return out;
}

const MALFORMED = `{"s":"broken é`;

/** The rows JSON.parse makes of `lines` (a malformed line: nulls and its text as _corrupt_record). */
function expectedRows(lines: readonly string[]): Array<{ s: string | null; n: number | null; _corrupt_record: string | null }> {
  return lines.map((l) => {
    try {
      const o = JSON.parse(l) as { s?: string | null; n?: number };
      return { s: o.s ?? null, n: o.n ?? null, _corrupt_record: null };
    } catch {
      return { s: null, n: null, _corrupt_record: l };
    }
  });
}

async function sourceBatches(bytes: Buffer): Promise<arrow.RecordBatch[]> {
  await writeFile(join(dir, "part-0.json"), bytes);
  const source = resolveSourceProvider("json", {}, [dir], SCHEMA, true).createSource(context(null, true));
  const end = await source.latestOffset(null);
  return source.getBatch(null, end!);
}

/** Column `name` of `batches` as Arrow reads it. */
function arrowValues(batches: readonly arrow.RecordBatch[], name: string): unknown[] {
  return batches.flatMap((b) => [...b.getChild(name)!].map((v) => (typeof v === "bigint" ? Number(v) : v)));
}

describe("JSON strings handed out as Arrow", () => {
  const lines = [...SPECIAL, ...SPECIAL, MALFORMED, ...uniqueLines(6000), ...SPECIAL];
  const expected = expectedRows(lines);

  it("are the strings JSON.parse gives, read as Arrow, through IPC, sliced, and as the engine's rows", async () => {
    const batches = await sourceBatches(Buffer.from(lines.join("\n") + "\n"));
    const rows = batches.flatMap((b) => batchToRows(fromRecordBatch(b)));
    expect(rows).toEqual(expected);
    expect(arrowValues(batches, "s")).toEqual(expected.map((r) => r.s));
    expect(arrowValues(batches, "_corrupt_record")).toEqual(expected.map((r) => r._corrupt_record));
    const ipc = arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table(batches)));
    expect([...ipc.getChild("s")!]).toEqual(expected.map((r) => r.s));
    expect(ipc.toArray().map((r) => r.toJSON()._corrupt_record)).toEqual(expected.map((r) => r._corrupt_record));
    const sliced = batches[0]!.slice(5, 40);
    expect([...sliced.getChild("s")!]).toEqual(expected.slice(5, 40).map((r) => r.s));
  });

  it("decode invalid UTF-8 as Buffer.toString does (U+FFFD), in values looked up and passed through", async () => {
    const bad = (i: number): Buffer => Buffer.concat([Buffer.from(`{"s":"v${i}`), Buffer.from([0xff, 0xc3]), Buffer.from(`z","n":${i}}\n`)]);
    const bytes = Buffer.concat([bad(1), bad(1), Buffer.from(uniqueLines(5000).join("\n") + "\n"), bad(2), bad(2)]);
    const batches = await sourceBatches(bytes);
    const expectedS = expectedRows(bytes.toString("utf8").trimEnd().split("\n")).map((r) => r.s);
    expect(expectedS[0]).toBe("v1\uFFFD\uFFFDz");
    expect(arrowValues(batches, "s")).toEqual(expectedS);
    expect(batches.flatMap((b) => batchToRows(fromRecordBatch(b))).map((r) => r.s)).toEqual(expectedS);
  });

  it("reach foreachBatch's DataFrame as the same strings (rows and toArrow)", async () => {
    await writeFile(join(dir, "part-0.json"), lines.join("\n") + "\n");
    const spark = Session.builder().appName("json-strings-as-arrow").getOrCreate();
    const seen: unknown[] = [];
    const viaArrow: unknown[] = [];
    const query = spark.readStream.schema("s STRING, n BIGINT, _corrupt_record STRING").json(dir)
      .writeStream.option("checkpointLocation", join(dir, "..", `${dir.split("/").pop()}-checkpoint`))
      .foreachBatch(async (df) => {
        for (const r of await df.collect()) seen.push(r.s);
        viaArrow.push(...(await df.toArrow()).getChild("s")!);
      })
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination();
    await removeDir(join(dir, "..", `${dir.split("/").pop()}-checkpoint`));
    expect(seen).toEqual(expected.map((r) => r.s));
    expect(viaArrow).toEqual(expected.map((r) => r.s));
  });
});

describe("utf8Text and the byte interner", () => {
  it("give Buffer.toString's string for ASCII, multi-byte and invalid bytes, a non-ASCII byte at any position", () => {
    const samples: Buffer[] = [Buffer.alloc(0), Buffer.from("a"), Buffer.from("abcd"), Buffer.from("😀"), Buffer.from([0x80]), Buffer.from([0xff, 0x41])];
    for (let len = 1; len <= 11; len++) {
      for (let at = 0; at < len; at++) {
        for (const high of [0xc3a9, 0xff, 0xe2]) {
          const bytes = Buffer.from("abcdefghijk".slice(0, len));
          if (high > 0xff) Buffer.from([high >> 8, high & 0xff]).copy(bytes, at, 0, Math.min(2, len - at));
          else bytes[at] = high;
          samples.push(bytes);
        }
      }
    }
    for (const sample of samples) {
      // Padded on both sides: the slice must not read past its bounds.
      const b = Buffer.concat([Buffer.from([0xe9, 0x41]), sample, Buffer.from([0xc3, 0x80, 0x42])]);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const want = b.toString("utf8", 2, 2 + sample.length);
      expect(utf8Text(b, 2, 2 + sample.length, dv)).toBe(want);
      expect(utf8Text(b, 2, 2 + sample.length)).toBe(want);
      const interner = new ByteInterner();
      expect(interner.intern(b, dv, 2, 2 + sample.length, hashBytes(b, dv, 2, 2 + sample.length))).toBe(want);
      expect(interner.intern(b, dv, 2, 2 + sample.length, hashBytes(b, dv, 2, 2 + sample.length))).toBe(want);
    }
  });
});
