import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { allKeywords, ColumnNameKeyword, NonReserved } from "../../grammar/tokens.ts";
import { Session } from "../../src/index.ts";
import { parseExpression, parseSelectItem } from "../../src/sql/sql-script.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * Spark's default grammar reads every keyword as a name after a dot and after AS; a table
 * alias after AS may be any keyword but the join words (`strictNonReserved`). Generated for
 * every keyword token of the grammar, so a keyword added later is checked too.
 */
const spark = Session.builder().appName("keywords-as-names").getOrCreate();
const tempDir = tempDirs(spark);

const words = allKeywords.map((t) => t.name.toLowerCase());
const nonReserved = new Set(allKeywords.filter((t) => (t.CATEGORIES ?? []).includes(NonReserved)).map((t) => t.name.toLowerCase()));
const columnKeywords = new Set(allKeywords.filter((t) => (t.CATEGORIES ?? []).includes(ColumnNameKeyword)).map((t) => t.name.toLowerCase()));
const LITERALS: Record<string, unknown> = { null: null, true: true, false: false };
const STRICT = new Set(["anti", "cross", "except", "full", "inner", "intersect", "join", "left", "minus", "natural", "on", "right", "semi", "union", "using"]);

test("the keyword list is the grammar's (sanity: the headline keywords are in it)", () => {
  expect(words).toEqual(expect.arrayContaining(["end", "select", "from", "timestamp", "join", "watermark"]));
  expect(words.length).toBeGreaterThan(60);
});

describe.each(words)("keyword %s", (kw) => {
  test("after a dot: a field or qualified column name", () => {
    expect(parseExpression(`w.${kw}`)).toMatchObject({ kind: "ColumnRef", name: `w.${kw}` });
    expect(parseExpression(`w.${kw.toUpperCase()}.x`)).toMatchObject({ kind: "ColumnRef", name: `w.${kw.toUpperCase()}.x` });
    expect(parseExpression(`(w).${kw}`)).toMatchObject({ kind: "GetField", field: kw, child: { kind: "ColumnRef", name: "w" } });
  });

  test("after AS: a column alias", () => {
    expect(parseSelectItem(`a + 1 AS ${kw}`)).toMatchObject({ kind: "Alias", name: kw, child: { kind: "Call", name: "add" } });
  });

  test("a column alias and a struct field, end to end", async () => {
    const df = spark.sql(`SELECT s.${kw} AS ${kw} FROM (SELECT named_struct('${kw}', 7) AS s) AS q`);
    expect(df.columns).toEqual([kw]);
    expect(await df.collect()).toEqual([{ [kw]: 7 }]);
  });

  test(STRICT.has(kw) ? "after AS: never a table alias (a join word)" : "after AS: a table alias", async () => {
    const sql = `SELECT ${kw}.a FROM (SELECT 5 AS a) AS ${kw}`;
    if (STRICT.has(kw)) {
      expect(() => spark.sql(`SELECT a FROM (SELECT 5 AS a) AS ${kw}`)).toThrow(/PARSE_SYNTAX_ERROR/);
      return;
    }
    if (nonReserved.has(kw)) {
      expect(await spark.sql(sql).collect()).toEqual([{ a: 5 }]);
    }
    // A reserved keyword cannot start a column reference, but the alias still qualifies `q.a`-style
    // names through backquotes, and the unqualified column reads through it.
    expect(await spark.sql(`SELECT \`${kw}\`.a FROM (SELECT 5 AS a) AS ${kw}`).collect()).toEqual([{ a: 5 }]);
  });

  const bare = nonReserved.has(kw) || columnKeywords.has(kw);
  test(bare ? "bare: a column name" : "bare: starts an expression, backquotes make it a name", async () => {
    const sql = `SELECT ${kw} FROM (SELECT 3 AS \`${kw}\`)`;
    if (bare) {
      expect(parseExpression(kw)).toMatchObject({ kind: "ColumnRef", name: kw });
      expect(parseExpression(`${kw} + 1`)).toMatchObject({ kind: "Call", name: "add", args: [{ kind: "ColumnRef", name: kw }, { value: 1 }] });
      expect(await spark.sql(sql).collect()).toEqual([{ [kw]: 3 }]);
      expect(await spark.sql(`SELECT ${kw} * 2 AS d FROM (SELECT 3 AS \`${kw}\`) WHERE ${kw} > 1`).collect()).toEqual([{ d: 6 }]);
    } else if (kw in LITERALS) {
      expect(await spark.sql(`SELECT ${kw} AS v FROM (SELECT 3 AS \`${kw}\`)`).collect()).toEqual([{ v: LITERALS[kw] }]);
    } else {
      expect(() => spark.sql(sql)).toThrow(/PARSE_SYNTAX_ERROR/);
    }
    expect(await spark.sql(`SELECT \`${kw}\` FROM (SELECT 3 AS \`${kw}\`)`).collect()).toEqual([{ [kw]: 3 }]);
  });
});

test("the issue's query: window(time, '1 hour') AS w, then w.start and w.end in an outer query", async () => {
  const dir = await tempDir("rivulet-kw-logs-");
  const rows = [
    { time: "2026-01-01T10:05:00Z", action: "click" },
    { time: "2026-01-01T10:20:00Z", action: "view" },
    { time: "2026-01-01T11:10:00Z", action: "click" },
  ];
  await writeFile(join(dir, "part-0.json"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await spark.sqlScript(`CREATE OR REPLACE TABLE kwlogs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${dir}')`);
  const out = await spark.sql(`
    SELECT w.start, w.end, n FROM (
      SELECT window(time, '1 hour') AS w, count(*) AS n FROM kwlogs GROUP BY window(time, '1 hour')
    ) ORDER BY w.start`).collect();
  expect(out.map((r) => [(r.start as Date).toISOString(), (r.end as Date).toISOString(), r.n])).toEqual([
    ["2026-01-01T10:00:00.000Z", "2026-01-01T11:00:00.000Z", 2],
    ["2026-01-01T11:00:00.000Z", "2026-01-01T12:00:00.000Z", 1],
  ]);
});
