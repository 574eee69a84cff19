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
    const { orders, users } = await files();
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
});
