import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectorError } from "../../../src/common/errors.ts";
import type { Source } from "../../../src/connectors/source.ts";
import { resolveSourceProvider } from "../../../src/connectors/sources/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { context, put, read, readAll, removeDir, tempDir } from "./helpers.ts";

let dir: string;
let input: string;
beforeEach(async () => {
  dir = await tempDir();
  input = join(dir, "in");
  await mkdir(input);
});
afterEach(async () => { await removeDir(dir); });

const schema = parseSchema("n BIGINT");
const line = (n: number): string => `{"n":${n}}\n`;

function stream(options: Record<string, string> = {}, metadataPath: string | null = null): Source {
  return resolveSourceProvider("json", options, [input], schema, false).createSource(context(metadataPath));
}

describe("file source: paths and schema", () => {
  it("fails at load time for a missing path and for an unknown format", () => {
    expect(() => resolveSourceProvider("json", {}, [join(dir, "nope")], schema, false)).toThrow(/Path does not exist: .*nope/);
    expect(() => resolveSourceProvider("orc", {}, [input], schema, false)).toThrow(ConnectorError);
    expect(() => resolveSourceProvider("orc", {}, [input], schema, false)).toThrow(/json, csv, text, parquet, socket, rate/);
  });

  it("asks for a schema when there is nothing to infer it from", () => {
    expect(() => resolveSourceProvider("JSON", {}, [input], null, false)).toThrow(/must be specified manually/);
  });

  it("infers a JSON schema as Spark does: union of fields, sorted, widened", async () => {
    await put(input, "a.json", `{"b":1,"a":"x","t":"2026-01-01T00:00:00Z","o":{"z":true,"y":[1]}}\n`);
    await put(input, "b.json", `{"b":2.5,"c":null,"o":{"y":[2.5]},"e":[]}\n{"a":3}\n`);
    const provider = resolveSourceProvider("json", {}, [input], null, true);
    expect(provider.schema.toDDL()).toBe(
      "a STRING, b DOUBLE, c STRING, e ARRAY<STRING>, o STRUCT<y: ARRAY<DOUBLE>, z: BOOLEAN>, t STRING",
    );
  });

  it("adds the corrupt-record column to an inferred schema when lines are malformed", () => {
    return put(input, "a.json", `{"a":1}\n{oops\n`).then(() => {
      expect(resolveSourceProvider("json", {}, [input], null, true).schema.fieldNames).toEqual(["a", "_corrupt_record"]);
    });
  });

  it("skips hidden and in-progress files, reads any extension, accepts a file or a glob", async () => {
    await put(input, "a.json", line(1));
    await put(input, "b.data", line(2));
    await put(input, ".hidden", line(3));
    await put(input, "_SUCCESS", line(4));
    await put(input, "c.json.tmp", line(5));
    await put(input, "d.json._COPYING_", line(6));
    const all = (path: string) => readAll(resolveSourceProvider("json", {}, [path], schema, true).createSource(context(null, true)));
    expect((await all(input)).map((r) => r.n).sort()).toEqual([1, 2]);
    expect(await all(join(input, "b.data"))).toEqual([{ n: 2 }]);
    expect(await all(join(input, "*.json"))).toEqual([{ n: 1 }]);
  });

  it("reads only the files a file sink listed in _spark_metadata", async () => {
    await put(input, "part-0.json", line(1));
    await put(input, "part-1.json", line(2));
    await put(input, "part-2-uncommitted.json", line(3));
    await mkdir(join(input, "_spark_metadata"));
    await put(join(input, "_spark_metadata"), "0", `v1\n{"path":"${join(input, "part-0.json")}","size":8,"modificationTime":1,"action":"add"}\n`);
    await put(join(input, "_spark_metadata"), "1", `v1\n{"path":"part-1.json","size":8,"modificationTime":2,"action":"add"}\n`);
    const rows = await readAll(resolveSourceProvider("json", {}, [input], schema, true).createSource(context(null, true)));
    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe("file source: streaming offsets", () => {
  it("returns null before any file, then takes maxFilesPerTrigger files oldest first", async () => {
    const source = stream({ maxFilesPerTrigger: "2" });
    expect(await source.latestOffset(null)).toBeNull();
    await put(input, "c.json", line(3), 1000);
    await put(input, "a.json", line(1), 3000);
    await put(input, "b.json", line(2), 1000);
    await put(input, "d.json", line(4), 2000);
    const first = await source.latestOffset(null);
    expect(first).toEqual({ logOffset: 0 });
    expect(await read(source, null, first!)).toEqual([{ n: 2 }, { n: 3 }]); // mtime 1000, name order
    const second = await source.latestOffset(first);
    expect(await read(source, first, second!)).toEqual([{ n: 4 }, { n: 1 }]);
    expect(await source.latestOffset(second)).toEqual(second); // nothing new
    await put(input, "e.json", line(5), 500);
    const third = await source.latestOffset(second);
    expect(await read(source, second, third!)).toEqual([{ n: 5 }]);
    expect(source.metrics!()).toMatchObject({ numFilesRead: "5", numMalformedRecords: "0" });
  });

  it("keeps its JSON reader across batches, per columns read; after a FAILFAST error the next batch reads whole", async () => {
    const schema2 = parseSchema("url STRING, n BIGINT");
    const source = resolveSourceProvider("json", { mode: "FAILFAST" }, [input], schema2, false).createSource(context());
    const urls = (k: number): string => Array.from({ length: 40 }, (_, i) => `{"url":"/p/${(i * k) % 9}","n":${i}}\n`).join("");
    await put(input, "a.json", urls(1), 1000);
    const first = await source.latestOffset(null);
    expect((await read(source, null, first!)).map((r) => r.url)).toEqual(Array.from({ length: 40 }, (_, i) => `/p/${i % 9}`));
    await put(input, "b.json", urls(2) + '{"url":"/p/1","n":oops}\n', 2000);
    const second = await source.latestOffset(first);
    await expect(read(source, first, second!)).rejects.toThrow(/b\.json/);
    await put(input, "c.json", urls(4), 3000);
    const third = await source.latestOffset(second);
    expect((await read(source, second, third!, { columns: ["url"] })).map((r) => r.url)).toEqual(Array.from({ length: 40 }, (_, i) => `/p/${(i * 4) % 9}`));
    expect(await read(source, second, third!)).toEqual(Array.from({ length: 40 }, (_, i) => ({ url: `/p/${(i * 4) % 9}`, n: i })));
  });

  it("takes the newest files first with latestFirst=true", async () => {
    await put(input, "a.json", line(1), 1000);
    await put(input, "b.json", line(2), 3000);
    await put(input, "c.json", line(3), 2000);
    const source = stream({ latestFirst: "true", maxFilesPerTrigger: "1" });
    const end = await source.latestOffset(null);
    expect(await read(source, null, end!)).toEqual([{ n: 2 }]);
  });

  it("after a restart with the same metadata path reads no file again and replays a range identically", async () => {
    const metadata = join(dir, "checkpoint", "sources", "0");
    await put(input, "a.json", line(1), 1000);
    await put(input, "b.json", line(2), 2000);
    const before = stream({ maxFilesPerTrigger: "1" }, metadata);
    const o0 = await before.latestOffset(null);
    const o1 = await before.latestOffset(o0);
    const firstRun = await read(before, o0, o1!);
    expect(firstRun).toEqual([{ n: 2 }]);
    await before.stop();
    expect((await readdir(metadata)).sort()).toEqual(["0", "1"]);

    const after = stream({ maxFilesPerTrigger: "1" }, metadata);
    expect(await read(after, o0, o1!)).toEqual(firstRun);
    expect(await read(after, null, o0!)).toEqual([{ n: 1 }]);
    expect(await after.latestOffset(o1)).toEqual(o1); // nothing new: both files were logged
    await put(input, "c.json", line(3), 3000);
    const o2 = await after.latestOffset(o1);
    expect(o2).toEqual({ logOffset: 2 });
    expect(await read(after, o1, o2!)).toEqual([{ n: 3 }]);
  });

  it("after a run that logged entries and died before planning their batches, takes them one batch each, then new files", async () => {
    const metadata = join(dir, "checkpoint", "sources", "0");
    await put(input, "a.json", line(1), 1000);
    await put(input, "b.json", line(2), 2000);
    await put(input, "c.json", line(3), 3000);
    // The run before logged entries 0 and 1 and was killed before the offset log named a batch ending at either.
    const killed = stream({ maxFilesPerTrigger: "1" }, metadata);
    await killed.latestOffset(await killed.latestOffset(null));
    await killed.stop();
    expect((await readdir(metadata)).sort()).toEqual(["0", "1"]);

    const after = stream({ maxFilesPerTrigger: "1" }, metadata);
    const o0 = await after.latestOffset(null);
    expect(o0).toEqual({ logOffset: 0 });
    expect(await read(after, null, o0!)).toEqual([{ n: 1 }]);
    const o1 = await after.latestOffset(o0);
    expect(o1).toEqual({ logOffset: 1 });
    expect(await read(after, o0, o1!)).toEqual([{ n: 2 }]);
    const o2 = await after.latestOffset(o1);
    expect(o2).toEqual({ logOffset: 2 });
    expect(await read(after, o1, o2!)).toEqual([{ n: 3 }]);
    expect(await after.latestOffset(o2)).toEqual(o2);
  });

  it("reads one offset covering all files when bounded", async () => {
    await put(input, "a.json", line(1) + line(2));
    await put(input, "b.json", line(3));
    const source = resolveSourceProvider("json", { maxFilesPerTrigger: "1" }, [input], schema, true).createSource(context(null, true));
    const end = await source.latestOffset(null);
    expect(end).toEqual({ logOffset: 0 });
    expect((await read(source, null, end!)).length).toBe(3);
  });
});
