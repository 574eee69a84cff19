import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectorError } from "../../../src/common/errors.ts";
import type { SourcePredicate } from "../../../src/connectors/source.ts";
import { resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { context, put, readAll, removeDir, tempDir } from "./helpers.ts";

let dir: string;
beforeEach(async () => { dir = await tempDir(); });
afterEach(async () => { await removeDir(dir); });

const DDL = "s STRING, l BIGINT, d DOUBLE, b BOOLEAN, t TIMESTAMP, dt DATE";
const LINES = [
  `{"s":"view","l":1,"d":1.5,"b":true,"t":"2026-01-01T00:00:00Z","dt":"2026-01-01"}`,
  `{"s":"click","l":2,"d":-2,"b":false,"t":"2026-01-01T01:00:00Z","dt":"2026-01-02"}`,
  `{"s":null,"l":null,"d":"NaN","t":"2026-01-01T02:00:00.5Z"}`,
  `{"s":"vi\\u0065w","l":3,"d":3,"b":true,"dt":"2026-01-03"}`,
];
const T0 = Date.UTC(2026, 0, 1) * 1000;
const HOUR = 3_600_000_000;
const DAY0 = Date.UTC(2026, 0, 1) / 86_400_000;

async function read(
  lines: readonly string[], ddl: string, filters: readonly SourcePredicate[], options: Record<string, string> = {}, columns?: string[],
) {
  await put(dir, "part-0.json", lines.join("\n") + "\n");
  const provider = resolveSourceProvider("json", options, [dir], parseSchema(ddl), true);
  const source = provider.createSource(context(null, true));
  const rows = await readAll(source, { ...(columns ? { columns } : {}), filters });
  return { rows, metrics: source.metrics!() };
}

/** The `l` values of the rows that pass. */
async function ls(...filters: SourcePredicate[]): Promise<unknown[]> {
  return (await read(LINES, DDL, filters)).rows.map((r) => r.l);
}

const cmp = (column: string, op: "=" | "!=" | "<" | "<=" | ">" | ">=", value: string | number | boolean): SourcePredicate =>
  ({ kind: "compare", column, op, value });

describe("JSON lines decoding with pushed predicates", () => {
  it("compares strings (escaped too), longs, doubles, booleans, timestamps and dates; a null never passes a comparison", async () => {
    expect(await ls(cmp("s", "=", "view"))).toEqual([1, 3]);
    expect(await ls(cmp("s", "!=", "view"))).toEqual([2]);
    expect(await ls(cmp("s", "<", "d"))).toEqual([2]);
    expect(await ls(cmp("l", ">", 1))).toEqual([2, 3]);
    expect(await ls(cmp("l", "<=", 2))).toEqual([1, 2]);
    expect(await ls(cmp("d", ">=", 1.5))).toEqual([1, null, 3]); // NaN is left to the engine's filter
    expect(await ls(cmp("b", "=", true))).toEqual([1, 3]);
    expect(await ls(cmp("b", "!=", true))).toEqual([2]);
    expect(await ls(cmp("t", ">=", T0 + HOUR))).toEqual([2, null]);
    expect(await ls(cmp("t", "<", T0 + 2 * HOUR + 500_000))).toEqual([1, 2]);
    expect(await ls(cmp("dt", ">", DAY0))).toEqual([2, 3]);
  });

  it("tests IS NULL (a missing field is null), IS NOT NULL, IN and startsWith", async () => {
    expect(await ls({ kind: "isNull", column: "b" })).toEqual([null]);
    expect(await ls({ kind: "isNull", column: "t" })).toEqual([3]);
    expect(await ls({ kind: "isNotNull", column: "s" })).toEqual([1, 2, 3]);
    expect(await ls({ kind: "in", column: "s", values: ["click", "view"] })).toEqual([1, 2, 3]);
    expect(await ls({ kind: "in", column: "l", values: [3, 1] })).toEqual([1, 3]);
    expect(await ls({ kind: "in", column: "t", values: [T0 + 2 * HOUR + 500_000] })).toEqual([null]);
    expect(await ls({ kind: "startsWith", column: "s", prefix: "vi" })).toEqual([1, 3]);
    expect(await ls({ kind: "startsWith", column: "s", prefix: "" })).toEqual([1, 2, 3]);
  });

  it("needs every predicate to hold, and appends whole rows only", async () => {
    const { rows } = await read(LINES, DDL, [cmp("s", "=", "view"), cmp("l", ">", 1)]);
    expect(rows).toEqual([{ s: "view", l: 3, d: 3, b: true, t: null, dt: new Date("2026-01-03T00:00:00Z") }]);
    // The tested field comes first, later fields of a rejected line are never appended.
    const lines = Array.from({ length: 50 }, (_, i) => `{"k":${i % 7},"v":"v${i}","w":${i}}`);
    const kept = await read(lines, "k INT, v STRING, w INT", [cmp("k", "=", 3)]);
    expect(kept.rows).toEqual(lines.map((_, i) => i).filter((i) => i % 7 === 3).map((i) => ({ k: 3, v: `v${i}`, w: i })));
  });

  it("ignores predicates it cannot test: unread columns, the corrupt-record column, other literal types", async () => {
    const ddl = "a BIGINT, b STRING, _corrupt_record STRING";
    const lines = [`{"a":1,"b":"x"}`, `{"a":2,"b":"y"}`, `not json`];
    const unread = await read(lines, ddl, [cmp("b", "=", "x")], {}, ["a"]);
    expect(unread.rows.map((r) => r.a)).toEqual([1, 2, null]);
    const corrupt = await read(lines, ddl, [{ kind: "isNotNull", column: "_corrupt_record" }]);
    expect(corrupt.rows).toHaveLength(3);
    const mistyped = await read(lines, ddl, [cmp("a", "=", "1")]);
    expect(mistyped.rows).toHaveLength(3);
  });

  it("tests the exactly matching field when names differ only in case (a field of another case is not the column, as in Spark)", async () => {
    const lines = [`{"USERID":"u1","userId":"u2"}`, `{"USERID":"u3"}`];
    expect((await read(lines, "userId STRING", [cmp("userId", "=", "u2")])).rows).toEqual([{ userId: "u2" }]);
    expect((await read(lines, "userId STRING", [cmp("userId", "=", "u1")])).rows).toEqual([]);
    expect((await read(lines, "userId STRING", [cmp("userId", "=", "u3")])).rows).toEqual([]);
    expect((await read(lines, "userId STRING", [{ kind: "isNull", column: "userId" }])).rows).toEqual([{ userId: null }]);
  });

  describe("malformed lines are counted and handled by the parse mode as without predicates", () => {
    // Line 2 fails `a = 1` on its first field, and is malformed further on (a type mismatch; bad syntax).
    const ddl = "a BIGINT, b BIGINT, _corrupt_record STRING";
    const lines = [`{"a":1,"b":1}`, `{"a":2,"b":"two"}`, `{"a":2,"b":2,`, `{"a":1,"b":"one"}`, `{"a":3,"b":3}`];

    it("PERMISSIVE: tests the row a malformed line becomes (nulls where values did not decode)", async () => {
      const eq1 = await read(lines, ddl, [cmp("a", "=", 1)]);
      expect(eq1.rows).toEqual([{ a: 1, b: 1, _corrupt_record: null }, { a: 1, b: null, _corrupt_record: `{"a":1,"b":"one"}` }]);
      expect(eq1.metrics.numMalformedRecords).toBe("3");
      const isNull = await read(lines, ddl, [{ kind: "isNull", column: "b" }]);
      expect(isNull.rows).toEqual([
        { a: 2, b: null, _corrupt_record: `{"a":2,"b":"two"}` },
        { a: null, b: null, _corrupt_record: `{"a":2,"b":2,` },
        { a: 1, b: null, _corrupt_record: `{"a":1,"b":"one"}` },
      ]);
      // A syntax error empties the row, whatever passed or failed before it.
      const aIsNull = await read(lines, ddl, [{ kind: "isNull", column: "a" }]);
      expect(aIsNull.rows).toEqual([{ a: null, b: null, _corrupt_record: `{"a":2,"b":2,` }]);
    });

    it("DROPMALFORMED: drops and counts them", async () => {
      const { rows, metrics } = await read(lines, ddl, [cmp("a", ">", 1)], { mode: "DROPMALFORMED" });
      expect(rows).toEqual([{ a: 3, b: 3, _corrupt_record: null }]);
      expect(metrics.numMalformedRecords).toBe("3");
    });

    it("FAILFAST: fails on a malformed line even when a predicate rejected it first", async () => {
      await expect(read(lines.slice(0, 3), ddl, [cmp("a", "=", 1)], { mode: "FAILFAST" })).rejects.toThrow(ConnectorError);
      await expect(read(lines.slice(0, 3), ddl, [cmp("a", "=", 1)], { mode: "FAILFAST" })).rejects.toThrow(/part-0\.json:2/);
    });
  });
});
