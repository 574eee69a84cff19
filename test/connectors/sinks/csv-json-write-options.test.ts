import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's CSV writer options (CSVOptions.asWriterSettings on univocity) and the JSON
// writer's ignoreNullFields, for df.write and the streaming file sink.
const spark = Session.builder().appName("csv-json-write-options").getOrCreate();
scopedTmpdir("rivulet-write-options-", spark);
spark.conf.set("spark.sql.session.timeZone", "UTC");

async function partText(dir: string): Promise<string> {
  const names = readdirSync(dir).filter((n) => n.startsWith("part-")).sort();
  return names.map((n) => readFileSync(join(dir, n), "utf8")).join("");
}

const row = "SELECT * FROM VALUES (1, 'x', CAST(NULL AS STRING), '', TIMESTAMP '2024-01-15 02:00:00', DATE '2024-01-15', 'say \"hi\"', '  pad  ') AS t(id, s, n, e, ts, d, q, w)";

describe("csv write options", () => {
  test("Spark's defaults: null empty, empty string \"\", quotes escaped with \\, whitespace trimmed", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "w-")), "o");
    await spark.sql(row).write.csv(out);
    expect(await partText(out)).toBe('1,x,,"",2024-01-15T02:00:00.000Z,2024-01-15,"say \\"hi\\"",pad\n');
  });

  test("nullValue, emptyValue, quoteAll, timestampFormat, dateFormat", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "w-")), "o");
    await spark.sql(row).write.option("nullValue", "NULL").option("emptyValue", "EMPTY").option("quoteAll", "true")
      .option("timestampFormat", "yyyy/MM/dd HH:mm").option("dateFormat", "dd.MM.yyyy").csv(out);
    expect(await partText(out)).toBe('"1","x",NULL,EMPTY,"2024/01/15 02:00","15.01.2024","say \\"hi\\"","pad"\n');
  });

  test("quote, escape, escapeQuotes, ignoreLeading/TrailingWhiteSpace, lineSep, sep; read back by the csv source", async () => {
    const base = await mkdtemp(join(tmpdir(), "w-"));
    const df = spark.sql(row).select("id", "q", "w");
    await df.write.option("escape", '"').csv(join(base, "rfc"));
    expect(await partText(join(base, "rfc"))).toBe('1,"say ""hi""",pad\n');
    await df.write.option("quote", "'").option("sep", ";").option("lineSep", "|").option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false").csv(join(base, "q"));
    expect(await partText(join(base, "q"))).toBe("1;say \"hi\";'  pad  '|");
    expect(await spark.read.option("quote", "'").option("sep", ";").option("lineSep", "|").schema("id INT, q STRING, w STRING").csv(join(base, "q")).collect())
      .toEqual([{ id: 1, q: 'say "hi"', w: "  pad  " }]);
    await df.write.option("escapeQuotes", "false").csv(join(base, "nq"));
    expect(await partText(join(base, "nq"))).toBe('1,say "hi",pad\n');
    // The default output reads back to the same values.
    await df.write.csv(join(base, "default"));
    expect(await spark.read.schema("id INT, q STRING, w STRING").csv(join(base, "default")).collect()).toEqual([{ id: 1, q: 'say "hi"', w: "pad" }]);
  });

  test("the streaming csv sink takes the same options", async () => {
    const b = await mkdtemp(join(tmpdir(), "w-"));
    mkdirSync(join(b, "in"));
    writeFileSync(join(b, "in", "1.json"), '{"a":1,"b":null}\n{"a":2,"b":"x"}\n');
    const q = spark.readStream.schema("a INT, b STRING").json(join(b, "in")).writeStream.format("csv").option("nullValue", "\\N").option("header", "true")
      .option("path", join(b, "out")).option("checkpointLocation", join(b, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(await partText(join(b, "out"))).toBe("a,b\n1,\\N\n2,x\n");
  });
});

describe("json write options", () => {
  test("ignoreNullFields=false writes nulls; the default leaves them out", async () => {
    const base = await mkdtemp(join(tmpdir(), "w-"));
    const df = spark.sql("SELECT 1 AS a, CAST(NULL AS INT) AS b");
    await df.write.json(join(base, "d"));
    expect(await partText(join(base, "d"))).toBe('{"a":1}\n');
    await df.write.option("ignoreNullFields", "false").json(join(base, "n"));
    expect(await partText(join(base, "n"))).toBe('{"a":1,"b":null}\n');
    await expect(df.write.option("ignoreNullFields", "maybe").json(join(base, "x"))).rejects.toThrow(/ignoreNullFields' must be true or false/);
  });
});
