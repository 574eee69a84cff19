import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { RuntimeConfig } from "../../../src/common/config.ts";
import { resolveSinkFactory } from "../../../src/connectors/sinks/index.ts";
import { resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import { Session } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { context, readAll } from "../sources/helpers.ts";
import { table } from "./helpers.ts";

const tempDir = tempDirs();
const schema = parseSchema("n BIGINT");

function sink(path: string, interval?: number) {
  const conf = new RuntimeConfig();
  if (interval !== undefined) conf.set("spark.sql.streaming.fileSink.log.compactInterval", String(interval));
  return resolveSinkFactory("parquet")({ schema, outputMode: "append", options: { path }, queryName: null, metadataPath: null, conf, isAggregation: false });
}

const readBack = async (path: string): Promise<number[]> =>
  (await readAll(resolveSourceProvider("parquet", {}, [path], schema, true).createSource(context(null, true)))).map((r) => Number(r.n)).sort((a, b) => a - b);

describe("file sink log compaction (spark.sql.streaming.fileSink.log.compactInterval)", () => {
  it("writes <id>.compact every interval-th batch with every live file, which readers use with the batches after it", async () => {
    const out = join(await tempDir("rivulet-compact-"), "out");
    const s = await sink(out, 3);
    for (let b = 0; b < 8; b++) await s.addBatch(b, table(schema, [{ n: b }]), "append");
    expect((await readdir(join(out, "_spark_metadata"))).sort()).toEqual(["0", "1", "2.compact", "3", "4", "5.compact", "6", "7"]);
    const compact = (await readFile(join(out, "_spark_metadata", "5.compact"), "utf8")).split("\n");
    expect(compact[0]).toBe("v1");
    expect(compact.slice(1).map((l) => (JSON.parse(l) as { path: string }).path)).toHaveLength(6);
    expect(await readBack(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    // A restarted sink keeps the log's interval (3), whatever the configuration says now.
    const again = await sink(out, 10);
    await again.addBatch(7, table(schema, [{ n: 7 }]), "append");
    await again.addBatch(8, table(schema, [{ n: 8 }]), "append");
    expect((await readdir(join(out, "_spark_metadata"))).filter((n) => n.startsWith("8"))).toEqual(["8.compact"]);
    expect(await readBack(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("the default interval is Spark's 10: batch 9 is a compact file", async () => {
    const out = join(await tempDir("rivulet-compact10-"), "out");
    const s = await sink(out);
    for (let b = 0; b < 11; b++) await s.addBatch(b, table(schema, [{ n: b }]), "append");
    const names = await readdir(join(out, "_spark_metadata"));
    expect(names.filter((n) => n.endsWith(".compact"))).toEqual(["9.compact"]);
    expect(names).toContain("10");
  });

  it("reads a log as Spark writes it: file:// URIs, a compact file with a delete, batch files older than it ignored", async () => {
    const out = await tempDir("rivulet-spark-log-");
    const spark = Session.builder().getOrCreate();
    const files: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const dir = join(out, `w${n}`);
      await spark.sql(`SELECT CAST(${n} AS BIGINT) AS n`).write.parquet(dir);
      files.push(join(dir, (await readdir(dir)).find((f) => f.endsWith(".parquet"))!));
    }
    const meta = join(out, "_spark_metadata");
    await mkdir(meta);
    const entry = (path: string, action = "add") => JSON.stringify({ path: pathToFileURL(path).href, size: 1, isDir: false, modificationTime: 1, blockReplication: 1, blockSize: 134217728, action });
    // Batch 0 listed file 4, but the compact file after it (as after Spark's cleanup) is the truth.
    await writeFile(join(meta, "0"), `v1\n${entry(files[3]!)}`);
    await writeFile(join(meta, "1.compact"), `v1\n${entry(files[0]!)}\n${entry(files[1]!)}`);
    await writeFile(join(meta, "2"), `v1\n${entry(files[2]!)}\n${entry(files[1]!, "delete")}`);
    await writeFile(join(meta, ".3.abc.tmp"), `v1\n${entry(files[3]!)}`);
    expect(await readBack(out)).toEqual([1, 3]);
    expect((await spark.read.parquet(out).collect()).map((r) => r.n).sort()).toEqual([1, 3]);
  });
});
