import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, to_json } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's spark.sql.jsonGenerator.ignoreNullFields (default true): the default of the
// ignoreNullFields option for to_json and for JSON writes; the option, when given, wins.
const root = Session.builder().appName("json-ignore-null-fields-conf").getOrCreate();
scopedTmpdir("rivulet-json-null-fields-", root);

function partText(dir: string): string {
  return readdirSync(dir).filter((n) => n.startsWith("part-")).sort().map((n) => readFileSync(join(dir, n), "utf8")).join("");
}

const STRUCT = "named_struct('a', 1, 'b', CAST(NULL AS STRING))";

describe("spark.sql.jsonGenerator.ignoreNullFields", () => {
  test("Spark's default is true: to_json leaves null fields out; spark.conf.get reports it", async () => {
    const spark = root.newSession();
    expect(spark.conf.get("spark.sql.jsonGenerator.ignoreNullFields")).toBe("true");
    expect(await spark.sql(`SELECT to_json(${STRUCT}) AS j`).collect()).toEqual([{ j: '{"a":1}' }]);
  });

  test("to_json: false writes null fields, in SQL (SET) and in the DataFrame API; the ignoreNullFields option overrides it; the column keeps its name", async () => {
    const spark = root.newSession();
    await spark.sqlScript("SET spark.sql.jsonGenerator.ignoreNullFields = false");
    expect(await spark.sql(`SELECT to_json(${STRUCT}) AS j, to_json(${STRUCT}, map('ignoreNullFields', 'true')) AS k`).collect())
      .toEqual([{ j: '{"a":1,"b":null}', k: '{"a":1}' }]);
    const df = spark.sql(`SELECT ${STRUCT} AS s`);
    const written = df.select(to_json(col("s")));
    expect(written.columns).toEqual(["to_json(s)"]);
    expect(await written.collect()).toEqual([{ "to_json(s)": '{"a":1,"b":null}' }]);
    expect(await df.select(to_json(col("s"), { ignoreNullFields: "true" }).as("j")).collect()).toEqual([{ j: '{"a":1}' }]);
    expect(await df.selectExpr("to_json(s) AS j").collect()).toEqual([{ j: '{"a":1,"b":null}' }]);
    spark.conf.set("spark.sql.jsonGenerator.ignoreNullFields", "true");
    expect(await df.select(to_json(col("s")).as("j")).collect()).toEqual([{ j: '{"a":1}' }]);
  });

  test("JSON writes: df.write.json, INSERT into a json table and the streaming json sink follow the setting unless the option says", async () => {
    const spark = root.newSession();
    spark.conf.set("spark.sql.jsonGenerator.ignoreNullFields", "false");
    const base = await mkdtemp(join(tmpdir(), "rivulet-json-null-fields-"));
    const df = spark.sql("SELECT 1 AS a, CAST(NULL AS INT) AS b");
    await df.write.json(join(base, "conf"));
    expect(partText(join(base, "conf"))).toBe('{"a":1,"b":null}\n');
    await df.write.option("ignoreNullFields", "true").json(join(base, "option"));
    expect(partText(join(base, "option"))).toBe('{"a":1}\n');

    await spark.sqlScript(`CREATE TABLE jt (a INT, b INT) USING json LOCATION '${join(base, "table")}'; INSERT INTO jt VALUES (2, NULL)`);
    expect(partText(join(base, "table"))).toBe('{"a":2,"b":null}\n');

    mkdirSync(join(base, "in"));
    writeFileSync(join(base, "in", "1.json"), '{"a":3}\n');
    const q = spark.readStream.schema("a INT, b STRING").json(join(base, "in")).writeStream.format("json")
      .option("path", join(base, "out")).option("checkpointLocation", join(base, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(partText(join(base, "out"))).toBe('{"a":3,"b":null}\n');
  });
});
