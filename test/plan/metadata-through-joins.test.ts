import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/** Spark's Join.metadataOutput: a file scan's hidden `_metadata` is visible above a join. */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

async function files(): Promise<{ orders: string; users: string }> {
  const dir = await tempDir("rivulet-metadata-join-");
  const orders = join(dir, "orders"), users = join(dir, "users");
  await mkdir(orders, { recursive: true });
  await mkdir(users, { recursive: true });
  await writeFile(join(orders, "jan.json"), '{"uid":1,"amount":10}\n{"uid":2,"amount":20}\n');
  await writeFile(join(orders, "feb.json"), '{"uid":1,"amount":30}\n');
  await writeFile(join(users, "people.json"), '{"uid":1,"name":"ann"}\n{"uid":2,"name":"bob"}\n');
  return { orders, users };
}

const sorted = <T extends Record<string, unknown>>(rows: T[]): T[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("_metadata through joins", () => {
  test("DataFrame: join on a condition and a USING join, with the file scan on either side", async () => {
    const { orders } = await files();
    const o = spark.read.json(orders), u = spark.createDataFrame([{ uid: 1, name: "ann" }, { uid: 2, name: "bob" }], "uid BIGINT, name STRING");
    const onCondition = o.join(u, o.col("uid").equalTo(u.col("uid"))).select(col("name"), col("amount"), col("_metadata.file_name").as("file"));
    expect(sorted(await onCondition.collect())).toEqual(sorted([
      { name: "ann", amount: 10, file: "jan.json" }, { name: "bob", amount: 20, file: "jan.json" }, { name: "ann", amount: 30, file: "feb.json" },
    ]));
    const fileOnRight = u.join(o, "uid").select("name", "amount", "_metadata.file_name");
    expect(fileOnRight.columns).toEqual(["name", "amount", "file_name"]);
    expect(sorted(await fileOnRight.collect())).toEqual(sorted([
      { name: "ann", amount: 10, file_name: "jan.json" }, { name: "bob", amount: 20, file_name: "jan.json" }, { name: "ann", amount: 30, file_name: "feb.json" },
    ]));
    const leftOuter = o.join(u, ["uid"], "left").where(col("amount").gt(15)).select(col("amount"), col("_metadata.file_path").endsWith(".json").as("ok"));
    expect(sorted(await leftOuter.collect())).toEqual([{ amount: 20, ok: true }, { amount: 30, ok: true }]);
  });

  test("SQL: unqualified when one side reads files, qualified (either side) when both do; ambiguous otherwise", async () => {
    const { orders, users } = await files();
    const rows = await spark.sql(`SELECT o.amount, _metadata.file_name AS f FROM json.\`${orders}\` o JOIN (SELECT 1L AS uid) k ON o.uid = k.uid`).collect();
    expect(sorted(rows)).toEqual([{ amount: 10, f: "jan.json" }, { amount: 30, f: "feb.json" }]);
    const qualified = await spark.sql(`SELECT o.amount, o._metadata.file_name AS f FROM json.\`${orders}\` o JOIN json.\`${users}\` u ON o.uid = u.uid WHERE u.name = 'bob'`).collect();
    expect(qualified).toEqual([{ amount: 20, f: "jan.json" }]);
    const right = await spark.sql(`SELECT u._metadata.file_name AS f, count(*) AS n FROM json.\`${orders}\` o JOIN json.\`${users}\` u ON o.uid = u.uid GROUP BY 1`).collect();
    expect(right).toEqual([{ f: "people.json", n: 3 }]);
    expect(() => spark.sql(`SELECT _metadata.file_name FROM json.\`${orders}\` o JOIN json.\`${users}\` u ON o.uid = u.uid`)).toThrow("[AMBIGUOUS_REFERENCE]");
  });

  test("both sides' _metadata in one query: a._metadata.file_name and b._metadata.file_name, in SQL and DataFrame forms", async () => {
    const { orders, users } = await files();
    const both = await spark.sql(`SELECT o.amount, o._metadata.file_name AS of, u._metadata.file_name AS uf, u.name
      FROM json.\`${orders}\` o JOIN json.\`${users}\` u ON o.uid = u.uid WHERE o.amount > 10`).collect();
    expect(sorted(both)).toEqual(sorted([
      { amount: 20, of: "jan.json", uf: "people.json", name: "bob" }, { amount: 30, of: "feb.json", uf: "people.json", name: "ann" },
    ]));
    // A left outer join: the right side's _metadata is null where no row matched.
    const outer = await spark.sql(`SELECT o.amount, u._metadata.file_name AS uf, o._metadata.file_path LIKE '%.json' AS ok
      FROM json.\`${orders}\` o LEFT JOIN (SELECT * FROM json.\`${users}\` WHERE name = 'ann') u ON o.uid = u.uid`).collect();
    expect(sorted(outer)).toEqual(sorted([{ amount: 10, uf: "people.json", ok: true }, { amount: 20, uf: null, ok: true }, { amount: 30, uf: "people.json", ok: true }]));
    const o = spark.read.json(orders).alias("a"), u = spark.read.json(users).alias("b");
    const frames = o.join(u, col("a.uid").equalTo(col("b.uid"))).select(col("b.name"), col("a._metadata.file_name").as("af"), col("b._metadata.file_name").as("bf"));
    expect(sorted(await frames.collect())).toEqual(sorted([
      { name: "ann", af: "jan.json", bf: "people.json" }, { name: "bob", af: "jan.json", bf: "people.json" }, { name: "ann", af: "feb.json", bf: "people.json" },
    ]));
    const usingJoin = await o.join(u, "uid").select(col("uid"), col("a._metadata.file_name").as("af"), col("b._metadata.file_name").as("bf")).where(col("uid").equalTo(2)).collect();
    expect(usingJoin).toEqual([{ uid: 2, af: "jan.json", bf: "people.json" }]);
  });
});
