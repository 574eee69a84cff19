import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, type Row } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

// Files and directories reached through symbolic links are read, as Hadoop's local file system
// follows links (Spark lists them); they were skipped in silence, in batch reads and streams.
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);
const xs = (rows: Row[]): unknown[] => rows.map((r) => Number(r.x)).sort((a, b) => a - b);

async function linkedTree(): Promise<{ base: string; input: string }> {
  const base = await tempDir("rivulet-symlinks-");
  await mkdir(join(base, "staging"));
  await mkdir(join(base, "in"));
  await mkdir(join(base, "elsewhere"));
  await writeFile(join(base, "staging", "a.json"), '{"x":1}\n');
  await symlink(join(base, "staging", "a.json"), join(base, "in", "a.json")); // a linked file
  await writeFile(join(base, "in", "b.json"), '{"x":2}\n');
  await writeFile(join(base, "elsewhere", "c.json"), '{"x":3}\n');
  await symlink(join(base, "elsewhere"), join(base, "in", "sub")); // a linked directory
  await symlink(join(base, "in"), join(base, "elsewhere", "loop")); // a link back up: not walked twice
  await symlink(join(base, "gone.json"), join(base, "in", "dangling.json")); // a link to nothing
  return { base, input: join(base, "in") };
}

describe("symbolic links in file sources", () => {
  test("batch: a linked file, and a linked directory with recursiveFileLookup", async () => {
    const { input } = await linkedTree();
    expect(xs(await spark.read.schema("x BIGINT").json(input).collect())).toEqual([1, 2]);
    expect(xs(await spark.read.schema("x BIGINT").option("recursiveFileLookup", true).json(input).collect())).toEqual([1, 2, 3]);
  });

  test("stream: every file once, linked or not", async () => {
    const { input } = await linkedTree();
    const seen: unknown[] = [];
    const q = spark.readStream.schema("x BIGINT").option("recursiveFileLookup", true).json(input).writeStream
      .foreachBatch(async (df) => { seen.push(...xs(await df.collect())); }).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(seen.sort()).toEqual([1, 2, 3]);
  });

  test("a file sink's output read through a link to its directory gives the sink's rows", async () => {
    const { base } = await linkedTree();
    const q = spark.readStream.schema("x BIGINT").json(join(base, "staging")).writeStream.format("json")
      .option("path", join(base, "out")).option("checkpointLocation", join(base, "ck")).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    await symlink(join(base, "out"), join(base, "out-link"));
    expect(xs(await spark.read.schema("x BIGINT").json(join(base, "out")).collect())).toEqual([1]);
    expect(xs(await spark.read.schema("x BIGINT").json(join(base, "out-link")).collect())).toEqual([1]);
  });
});
