import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

// Spark's UnivocityParser keeps a field's spaces on read (ignoreLeading/TrailingWhiteSpace are
// false), then converts: Integer.parseInt, Long.parseLong, new BigDecimal and Scala's toBoolean
// reject " 12"; Double.parseDouble accepts it.
const spark = Session.builder().appName("csv-padded-values").getOrCreate();
const temp = tempDirs(spark);
const SCHEMA = "id INT, i INT, l BIGINT, m DECIMAL(5,1), b BOOLEAN, d DOUBLE, _corrupt_record STRING";

async function csvDir(): Promise<string> {
  const dir = await temp("csv-padded-");
  await writeFile(join(dir, "a.csv"), "id,i,l,m,b,d\n1, 12,7 ,1.5,true, 2.5\n2,3,4, 1.5,true,1\n3,3,4,1.5, true,1\n4,3,4,1.5,true,1.5 \n");
  return dir;
}

describe("CSV reader: padded values", () => {
  it("an integer, decimal or boolean with spaces is malformed; a double is not (DataFrame)", async () => {
    const dir = await csvDir();
    const rows = await spark.read.schema(SCHEMA).option("header", true).csv(dir).collect();
    // PERMISSIVE keeps the fields that did convert (Spark 3's partial results).
    expect(rows.map((r) => ({ ...r, m: r["m"] === null ? null : String(r["m"]) }))).toEqual([
      { id: 1, i: null, l: null, m: "1.5", b: true, d: 2.5, _corrupt_record: "1, 12,7 ,1.5,true, 2.5" },
      { id: 2, i: 3, l: 4, m: null, b: true, d: 1, _corrupt_record: "2,3,4, 1.5,true,1" },
      { id: 3, i: 3, l: 4, m: "1.5", b: null, d: 1, _corrupt_record: "3,3,4,1.5, true,1" },
      { id: 4, i: 3, l: 4, m: "1.5", b: true, d: 1.5, _corrupt_record: null },
    ]);
    expect(await spark.read.schema("id INT, i INT, l BIGINT, m DECIMAL(5,1), b BOOLEAN, d DOUBLE").option("header", true).option("mode", "DROPMALFORMED").csv(dir).count()).toBe(1);
  });

  it("ignoreLeadingWhiteSpace / ignoreTrailingWhiteSpace trim before converting (SQL)", async () => {
    const dir = await csvDir();
    spark.sql(`CREATE TABLE csv_padded (id INT, i INT, l BIGINT, m DECIMAL(5,1), b BOOLEAN, d DOUBLE) USING csv
      OPTIONS (header 'true', ignoreLeadingWhiteSpace 'true', ignoreTrailingWhiteSpace 'true', mode 'FAILFAST') LOCATION '${dir}'`);
    const rows = await spark.sql("SELECT id, i, l, CAST(m AS STRING) AS m, b, d FROM csv_padded ORDER BY id").collect();
    expect(rows[0]).toEqual({ id: 1, i: 12, l: 7, m: "1.5", b: true, d: 2.5 });
    expect(rows).toHaveLength(4);
    expect(await spark.sql("SELECT count(*) AS n FROM csv_padded WHERE i IS NULL").collect()).toEqual([{ n: 0 }]);
  });

  it("from_csv converts the same way", async () => {
    const [r] = await spark.sql("SELECT from_csv(' 12,7 , 2.5', 'i INT, l BIGINT, d DOUBLE') AS v").collect();
    expect((r as { v: unknown }).v).toEqual({ i: null, l: null, d: 2.5 });
    const [t] = await spark.sql("SELECT from_csv('12,7, 2.5', 'i INT, l BIGINT, d DOUBLE') AS v").collect();
    expect((t as { v: unknown }).v).toEqual({ i: 12, l: 7, d: 2.5 });
  });
});
