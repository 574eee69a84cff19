import { describe, expect, it } from "vitest";
import { dictHashesOf, hashString } from "../../../src/columnar/utf8-hash.ts";
import { batchToRows } from "../../../src/columnar/values.ts";
import type { StrVec } from "../../../src/columnar/vector.ts";
import { BatchAssembler } from "../../../src/connectors/sources/batch-assembler.ts";
import { ByteInterner, FRESH, hashBytes } from "../../../src/connectors/sources/byte-interner.ts";
import { JsonLinesDecoder } from "../../../src/connectors/sources/json-lines-decoder.ts";
import { MalformedRecords } from "../../../src/connectors/sources/parse-mode.ts";
import type { SourcePredicate } from "../../../src/connectors/source.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { generator, random } from "./fixtures/json-line-generator.ts";

// Generated lines (seeded, so a failure reproduces) of a few shapes with values of every
// kind — strings of every length and alignment with escapes, multi-byte characters and
// bytes the word-at-a-time scans stop at; numbers at the edges of exactness; timestamps
// that share an hour and that do not, valid and not; nulls, nested values, missing and
// malformed lines — decoded three ways that must agree: in one decoder (which learns the
// shapes and takes its compiled fast path), each line alone (the general path), and, for
// lines JSON.parse accepts and whose values fit their columns, JSON.parse.

const SCHEMA = parseSchema("time TIMESTAMP, action STRING, url STRING, n INT, bytes BIGINT, ratio DOUBLE, ok BOOLEAN, _corrupt_record STRING");

interface Decoded { rows: Record<string, unknown>[]; reported: string[]; compiled: number }

/** Decodes `lines` with one decoder, the block placed at `offset` in its buffer (word reads at every alignment), stale bytes after it. */
function decode(lines: readonly string[], options: { columns?: string[]; filters?: SourcePredicate[]; offset?: number; batchRows?: number } = {}): Decoded {
  const reported: string[] = [];
  const malformed = new MalformedRecords("PERMISSIVE", "json");
  const report = malformed.report.bind(malformed);
  malformed.report = (path, line, reason) => { reported.push(`${line}: ${reason}`); return report(path, line, reason); };
  const decoder = new JsonLinesDecoder(SCHEMA, options.columns, { corruptRecordColumn: "_corrupt_record", malformed, filters: options.filters });
  const out = new BatchAssembler(decoder.outputSchema, options.batchRows ?? (lines.length < 16 ? 16 : undefined)); // small builders for one line
  const text = Buffer.from(lines.join("\n"));
  const offset = options.offset ?? 0;
  const backing = Buffer.alloc(offset + text.length + 8, 0x22); // stale quotes after the block
  text.copy(backing, offset);
  const b = backing.subarray(offset);
  decoder.decodeLines(b, 0, text.length, "f.json", 1, out);
  return { rows: out.finishColumns().flatMap((batch) => batchToRows(batch)), reported, compiled: decoder.compiledLines };
}

describe("dictionary hashes", () => {
  it("are each entry's hashString, for repeated, unique (past the interner's table), escaped and multi-byte strings, both paths", () => {
    const schema = parseSchema("id STRING, n INT");
    const decoder = new JsonLinesDecoder(schema, undefined, { corruptRecordColumn: "_corrupt_record", malformed: new MalformedRecords("PERMISSIVE", "json") });
    const out = new BatchAssembler(decoder.outputSchema, 1 << 20);
    const ids: string[] = [];
    const lines: string[] = [];
    for (let k = 0; k < 80_000; k++) {
      // Escaped strings (every 50th line) and lines of another shape (every 100th) take the general path.
      const id = k % 5 === 0 ? "repeated" : k % 50 === 1 ? `quote"${k % 7}` : k % 5 === 2 ? `日本-${k}` : `u${k}`;
      ids.push(id);
      lines.push(k % 100 === 3 ? `{"n": ${k}, "id": ${JSON.stringify(id)}}` : JSON.stringify({ id, n: k }));
    }
    // Bytes that are not UTF-8 (decoded as U+FFFD): the same string as an escaped U+FFFD.
    const invalid = [Buffer.from('{"id":"bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('","n":1}\n{"id":"bad-\\ufffd\\ufffd","n":2}\n')];
    ids.push("bad-\ufffd\ufffd", "bad-\ufffd\ufffd");
    const text = Buffer.concat([Buffer.from(lines.join("\n") + "\n"), ...invalid]);
    decoder.decodeLines(text, 0, text.length, "f.json", 1, out);
    expect(decoder.compiledLines).toBeGreaterThan(60_000);
    const batches = out.finishColumns();
    expect(batches.flatMap((b) => batchToRows(b)).map((r) => r.id)).toEqual(ids);
    for (const batch of batches) {
      const column = batch.columns[0] as StrVec;
      const hashes = dictHashesOf(column.dict);
      expect(hashes).toBeDefined();
      column.dict.forEach((s, c) => { if (hashes![c] !== hashString(s)) expect.fail(`entry ${c} (${s})`); });
    }
  });
});

describe("the compiled fast path against the general path and JSON.parse, on generated lines", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`agrees line for line (seed ${seed})`, () => {
      const next = generator(seed);
      const lines = Array.from({ length: 1500 }, next);
      const texts = lines.map((l) => l.text);
      const fast = decode(texts, { offset: seed - 1 });
      expect(fast.compiled).toBeGreaterThan(texts.length / 4);
      let checkedByJsonParse = 0;
      texts.forEach((text, k) => {
        const alone = decode([text]);
        expect(alone.compiled).toBe(0);
        expect(fast.rows[k], `line ${k + 1}: ${text}`).toEqual(alone.rows[0]);
        const reported = fast.reported.filter((r) => r.startsWith(`${k + 1}: `)).map((r) => r.replace(/^\d+:/, "1:"));
        expect(reported, `line ${k + 1}: ${text}`).toEqual(alone.reported);
        const expected = lines[k]!.expected;
        let parsed = true;
        try { JSON.parse(text); } catch { parsed = false; }
        if (expected !== null && parsed) {
          expect(fast.rows[k], `line ${k + 1} (JSON.parse): ${text}`).toEqual(expected);
          checkedByJsonParse++;
        }
      });
      expect(checkedByJsonParse).toBeGreaterThan(100);
    });
  }

  it("gives the same rows in batches cut anywhere, with string values looked up a run at a time once their interner is large", () => {
    const next = generator(5);
    // Runs of one shape (the fast path) broken by generated lines (the general path); 7,001
    // distinct urls make the url interner large, and the fast path then defers their lookups.
    // Every eighth line repeats the url before it: with no repeats at all the interner would
    // take the column for unique and pass its values through (byte-interner.ts, probeEntries).
    const urlOf = (k: number): string => `/u/${((k % 8 === 7 ? k - 1 : k) * 7919) % 7001}`;
    const template = (k: number): string => JSON.stringify({ time: "2026-01-01T00:00:00.000Z", action: `a${k % 3}`, url: k % 9 === 0 ? null : urlOf(k), bytes: k });
    const texts = Array.from({ length: 24_000 }, (_, k) => (k % 3000 < 2950 ? template(k) : next().text));
    const whole = decode(texts, { batchRows: 1 << 16 });
    expect(whole.compiled).toBeGreaterThan(23_000);
    texts.forEach((text, k) => {
      if (k % 3000 < 2950) {
        const row = whole.rows[k]!;
        const parsed = JSON.parse(text) as { url: string | null; action: string; bytes: number };
        if (row.url !== parsed.url || row.action !== parsed.action || row.bytes !== parsed.bytes) expect.fail(`line ${k + 1}: ${JSON.stringify(row)} for ${text}`);
      } else expect(whole.rows[k], `line ${k + 1}: ${text}`).toEqual(decode([text]).rows[0]);
    });
    for (const batchRows of [1, 7, 511, 513]) {
      const cut = decode(texts.slice(0, 12_000), { batchRows });
      expect(cut.rows, `batches of ${batchRows}`).toEqual(whole.rows.slice(0, 12_000));
    }
  });

  it("agrees with pruned columns and pushed filters", () => {
    const next = generator(9);
    const texts = Array.from({ length: 800 }, () => next().text);
    const filters: SourcePredicate[] = [{ kind: "compare", column: "bytes", op: ">", value: 100 }];
    for (const options of [{ columns: ["url", "time"] }, { filters }, { columns: ["ratio", "ok"], offset: 3 }]) {
      const fast = decode(texts, options);
      const alone = texts.map((t) => decode([t], options));
      expect(fast.rows, JSON.stringify(options)).toEqual(alone.flatMap((a) => a.rows));
      expect(fast.reported.map((r) => r.replace(/^\d+:/, "")), JSON.stringify(options)).toEqual(alone.flatMap((a) => a.reported.map((r) => r.replace(/^\d+:/, ""))));
    }
  });
});

describe("ByteInterner", () => {
  it("returns one id per distinct byte string, at every length and alignment", () => {
    const rnd = random(5);
    const interner = new ByteInterner();
    const ids = new Map<string, number>();
    for (let k = 0; k < 5000; k++) {
      const value = Array.from({ length: Math.floor(rnd() * 14) }, () => "ab/é"[Math.floor(rnd() * 4)]).join("");
      const offset = Math.floor(rnd() * 4);
      const b = Buffer.concat([Buffer.alloc(offset, 120), Buffer.from(value), Buffer.from("xyz")]);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const end = offset + Buffer.byteLength(value);
      expect(interner.intern(b, dv, offset, end, hashBytes(b, dv, offset, end))).toBe(value);
      if (!ids.has(value)) ids.set(value, interner.lastId);
      expect(interner.lastId, value).toBe(ids.get(value));
    }
    expect(new Set(ids.values()).size).toBe(ids.size);
  });

  it("tells apart values whose hashes collide, across the table's growth", () => {
    const interner = new ByteInterner();
    const ids = new Map<string, number>();
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 3000; k++) {
        const value = `/page/${k}`;
        const b = Buffer.from(`"${value}"`);
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        // Three hashes for 3,000 values: every probe walks past entries of another value with the same hash.
        expect(interner.intern(b, dv, 1, b.length - 1, k % 3)).toBe(value);
        if (round === 0) ids.set(value, interner.lastId);
        else expect(interner.lastId, value).toBe(ids.get(value));
      }
    }
    expect(new Set(ids.values()).size).toBe(3000);
  });

  it("starts a new generation when full, and still returns each value", () => {
    const interner = new ByteInterner(16, 1 << 10);
    const seen = new Map<string, number>();
    let generation = interner.generation;
    for (let k = 0; k < 2000; k++) {
      // Each value twice in a row: lookups find their string, so the table stays in use (no FRESH).
      const value = `v${(k >> 1) % 40}-${"x".repeat((k >> 1) % 7)}`;
      const b = Buffer.from(value);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      expect(interner.intern(b, dv, 0, b.length, hashBytes(b, dv, 0, b.length))).toBe(value);
      if (interner.generation !== generation) { generation = interner.generation; seen.clear(); }
      const id = seen.get(value);
      if (id === undefined) seen.set(value, interner.lastId);
      else expect(interner.lastId).toBe(id);
    }
    expect(interner.generation).toBeGreaterThan(10);
  });

  it("stops looking up the values of a mostly unique column (FRESH) once its table fills, then tries again", () => {
    const interner = new ByteInterner(4096, 1 << 22, 5000);
    const intern = (value: string): string => {
      const b = Buffer.from(value);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return interner.intern(b, dv, 0, b.length, hashBytes(b, dv, 0, b.length));
    };
    const ids: number[] = [];
    for (let k = 0; k < 4096; k++) {
      expect(intern(`id-${k}`)).toBe(`id-${k}`);
      ids.push(interner.lastId);
    }
    expect(new Set(ids).size).toBe(4096);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(0);
    // The table is full and no lookup found its string: this value starts a new generation,
    // and the next 5000 pass through, decoded and not looked up.
    expect(intern("u-0")).toBe("u-0");
    expect(interner.lastId).toBe(0);
    for (let k = 1; k <= 5000; k++) {
      expect(intern(`u-${k}`)).toBe(`u-${k}`);
      if (interner.lastId !== FRESH) expect.fail(`u-${k} was looked up`);
    }
    // After the pass-through stretch the table answers again.
    expect(intern("u-0")).toBe("u-0");
    expect(interner.lastId).toBe(0);
  });

  it("stops looking up a column of unique values early, at probeEntries, long before its table fills", () => {
    const interner = new ByteInterner(1 << 16, 1 << 22, 5000, 1024);
    const intern = (value: string): string => {
      const b = Buffer.from(value);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      return interner.intern(b, dv, 0, b.length, hashBytes(b, dv, 0, b.length));
    };
    // 1,024 unique values, 7 of them seen twice: under 1/128 of the lookups find their string.
    for (let k = 0; k < 1024; k++) {
      expect(intern(`id-${k}`)).toBe(`id-${k}`);
      expect(interner.lastId).toBe(k);
      if (k % 150 === 1) { expect(intern(`id-${k}`)).toBe(`id-${k}`); expect(interner.lastId).toBe(k); }
    }
    const generation = interner.generation;
    expect(intern("u-0")).toBe("u-0");
    expect(interner.generation).not.toBe(generation);
    expect(interner.lastId).toBe(0);
    for (let k = 1; k <= 5000; k++) {
      expect(intern(`u-${k}`)).toBe(`u-${k}`);
      if (interner.lastId !== FRESH) expect.fail(`u-${k} was looked up`);
    }
    expect(intern("u-0")).toBe("u-0");
    expect(interner.lastId).toBe(0);
  });

  it("keeps looking up at probeEntries a column whose values repeat a little (40,000 drawn at random)", () => {
    const interner = new ByteInterner(1 << 16, 1 << 22, 5000, 4096);
    const rnd = random(17);
    const generation = interner.generation;
    for (let k = 0; k < 12_000; k++) {
      // ~4,400 lookups find ~240 of their strings: ~1/18, above 1/128.
      const value = `/page/${Math.floor(rnd() * 40_000)}`;
      const b = Buffer.from(value);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      expect(interner.intern(b, dv, 0, b.length, hashBytes(b, dv, 0, b.length))).toBe(value);
      expect(interner.lastId).toBeGreaterThanOrEqual(0);
    }
    expect(interner.generation).toBe(generation);
  });

  it("is large (touch() loads ahead) past ~6,000 values, not while it passes values through", () => {
    const interner = new ByteInterner(1 << 16, 1 << 22, 1000, 1 << 16);
    const intern = (value: string): void => {
      const b = Buffer.from(value);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      interner.intern(b, dv, 0, b.length, hashBytes(b, dv, 0, b.length));
    };
    for (let k = 0; k < 6000; k++) intern(`/u/${k}`);
    expect(interner.large).toBe(false);
    for (let k = 6000; k < 7000; k++) intern(`/u/${k}`);
    expect(interner.large).toBe(true);
  });

  it("keeps looking up a column whose values repeat, also when they outnumber its table", () => {
    const interner = new ByteInterner(4096);
    const generation = interner.generation;
    const rnd = random(11);
    for (let k = 0; k < 40_000; k++) {
      const value = `v${Math.floor(rnd() * 6000)}`;
      const b = Buffer.from(value);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      interner.intern(b, dv, 0, b.length, hashBytes(b, dv, 0, b.length));
      expect(interner.lastId).toBeGreaterThanOrEqual(0);
    }
    expect(interner.generation).toBeGreaterThan(generation);
  });
});
