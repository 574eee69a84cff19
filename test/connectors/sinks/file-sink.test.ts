import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectorError } from "../../../src/common/errors.ts";
import type { Sink } from "../../../src/connectors/sink.ts";
import { FileSink, fileSinkFactory } from "../../../src/connectors/sinks/file-sink.ts";
import { resolveSinkFactory } from "../../../src/connectors/sinks/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import type { StructType } from "../../../src/types/data-types.ts";
import { sinkContext, table } from "./helpers.ts";

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), "rivulet-file-sink-")); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const events = parseSchema("id BIGINT, name STRING, ts TIMESTAMP, d DATE, score DOUBLE, window STRUCT<start: TIMESTAMP, end: TIMESTAMP>");
const row = (id: number, name: string | null, score: number | null = 1.5) => ({
  id, name, ts: "2026-01-01 10:00:00", d: "2026-01-01", score,
  window: { start: "2026-01-01 10:00:00", end: "2026-01-01 11:00:00" },
});

async function sinkFor(format: string, schema: StructType, options: Record<string, string> = {}): Promise<Sink> {
  return resolveSinkFactory(format)(sinkContext(schema, "append", { path: dir, ...options }));
}
const partFiles = async (): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith("part-")).sort();
const readParts = async (): Promise<string> => (await Promise.all((await partFiles()).map((n) => readFile(join(dir, n), "utf8")))).join("");

describe("file sink (json)", () => {
  it("writes rows as Spark's JSON writer and commits the batch in _spark_metadata", async () => {
    const sink = await sinkFor("json", events);
    await sink.addBatch(0, table(events, [row(1, "a"), row(2, null, null)]), "append");

    const parts = await partFiles();
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/^part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\.json$/);
    expect(await readParts()).toBe(
      '{"id":1,"name":"a","ts":"2026-01-01T10:00:00.000Z","d":"2026-01-01","score":1.5,"window":{"start":"2026-01-01T10:00:00.000Z","end":"2026-01-01T11:00:00.000Z"}}\n' +
      '{"id":2,"ts":"2026-01-01T10:00:00.000Z","d":"2026-01-01","window":{"start":"2026-01-01T10:00:00.000Z","end":"2026-01-01T11:00:00.000Z"}}\n');

    const log = await readFile(join(dir, "_spark_metadata", "0"), "utf8");
    const [version, ...entries] = log.split("\n");
    expect(version).toBe("v1");
    expect(entries).toHaveLength(1);
    const file = join(dir, parts[0]!);
    const info = await stat(file);
    expect(entries[0]).toBe(JSON.stringify({
      path: pathToFileURL(file).href, size: info.size, isDir: false, modificationTime: Math.floor(info.mtimeMs),
      blockReplication: 1, blockSize: 0, action: "add",
    }));
    expect(sink.lastBatchRows).toBe(2);
    // No temp files left behind.
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect((await readdir(join(dir, "_spark_metadata"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("skips a batch id it already committed, also after a restart", async () => {
    const sink = await sinkFor("json", events);
    await sink.addBatch(0, table(events, [row(1, "a")]), "append");
    await sink.addBatch(1, table(events, [row(2, "b")]), "append");
    await sink.addBatch(1, table(events, [row(2, "b")]), "append");
    expect(sink.lastBatchRows).toBe(0);

    const restarted = await sinkFor("json", events);
    await restarted.addBatch(1, table(events, [row(2, "b")]), "append");
    await restarted.addBatch(2, table(events, [row(3, "c")]), "append");

    const ids = (await readParts()).trim().split("\n").map((l) => (JSON.parse(l) as { id: number }).id).sort();
    expect(ids).toEqual([1, 2, 3]);
    expect((await readdir(join(dir, "_spark_metadata"))).sort()).toEqual(["0", "1", "2"]);
    expect(await (restarted as FileSink).log.latestBatchId()).toBe(2);
  });

  it("drops part files a crashed attempt of the batch left uncommitted under the names of older rivulet (part-<batchId>-<uuid>)", async () => {
    const sink = await sinkFor("json", events);
    await sink.addBatch(0, table(events, [row(1, "a")]), "append");
    await writeFile(join(dir, "part-1-00000000-0000-0000-0000-000000000000.json"), '{"id":99}\n');
    await writeFile(join(dir, ".part-1-00000000-0000-0000-0000-000000000001.json.abc123.tmp"), '{"id":98}\n');
    const restarted = await sinkFor("json", events);
    await restarted.addBatch(1, table(events, [row(2, "b")]), "append");
    expect((await readdir(dir)).filter((n) => n.startsWith(".part-"))).toEqual([]);
    const parts = await partFiles();
    expect(parts).toHaveLength(2);
    expect(await readParts()).not.toContain('"id":99');
  });

  it("writes no part file for an empty batch but still commits it", async () => {
    const sink = await sinkFor("json", events);
    await sink.addBatch(0, table(events), "append");
    await sink.addBatch(1, table(events, []), "append");
    expect(await partFiles()).toEqual([]);
    expect(await readFile(join(dir, "_spark_metadata", "0"), "utf8")).toBe("v1");
    expect(await readFile(join(dir, "_spark_metadata", "1"), "utf8")).toBe("v1");
  });

  it("lists every record batch's rows in one part file and entry", async () => {
    const sink = await sinkFor("json", events);
    await sink.addBatch(5, table(events, [row(1, "a")], [row(2, "b"), row(3, "c")]), "append");
    expect(await partFiles()).toHaveLength(1);
    expect((await readParts()).trim().split("\n")).toHaveLength(3);
    const entries = (await readFile(join(dir, "_spark_metadata", "5"), "utf8")).split("\n").slice(1);
    expect(entries.map((e) => (JSON.parse(e) as { path: string }).path)).toEqual([pathToFileURL(join(dir, (await partFiles())[0]!)).href]);
  });

  it("writes nested types, doubles and escapes as Spark does", async () => {
    const schema = parseSchema("s STRING, xs ARRAY<INT>, m MAP<STRING, DOUBLE>, big DOUBLE, nan DOUBLE, ok BOOLEAN, b BINARY");
    const sink = await sinkFor("json", schema);
    await sink.addBatch(0, table(schema, [{
      s: "a\"b\\c\nd\u0001é", xs: [1, null, 3], m: new Map([["k", 1], ["n", null]]), big: 1e10, nan: NaN, ok: true, b: new TextEncoder().encode("AB"),
    }]), "append");
    expect(await readParts()).toBe(
      '{"s":"a\\"b\\\\c\\nd\\u0001é","xs":[1,null,3],"m":{"k":1.0,"n":null},"big":1.0E10,"nan":"NaN","ok":true,"b":"QUI="}\n');
  });
});

describe("file sink (csv)", () => {
  const schema = parseSchema("id INT, name STRING, ts TIMESTAMP, score DOUBLE");

  it("writes CSV as Spark does, with header and separator options (a quote inside escaped with \\ by default)", async () => {
    const sink = await sinkFor("csv", schema, { header: "true" });
    await sink.addBatch(0, table(schema, [
      { id: 1, name: "plain", ts: "2026-01-01 10:00:00.5", score: 2 },
      { id: 2, name: 'say "hi", bye', ts: null, score: null },
      { id: 3, name: "", ts: "2026-01-01 10:00:00", score: 0.25 },
      { id: 4, name: "two\nlines", ts: "2026-01-01 10:00:00", score: 1 },
    ]), "append");
    expect((await partFiles())[0]).toMatch(/^part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\.csv$/);
    expect(await readParts()).toBe([
      "id,name,ts,score",
      "1,plain,2026-01-01T10:00:00.500Z,2.0",
      '2,"say \\"hi\\", bye",,',
      '3,"",2026-01-01T10:00:00.000Z,0.25',
      '4,"two\nlines",2026-01-01T10:00:00.000Z,1.0',
      "",
    ].join("\n"));
  });

  it("uses another separator and no header by default", async () => {
    const sink = await sinkFor("csv", schema, { sep: ";" });
    await sink.addBatch(0, table(schema, [{ id: 1, name: "a;b", ts: null, score: 1.5 }]), "append");
    expect(await readParts()).toBe('1;"a;b";;1.5\n');
  });

  it("rejects nested columns", () => {
    const nested = parseSchema("w STRUCT<start: TIMESTAMP, end: TIMESTAMP>");
    expect(() => fileSinkFactory("csv")(sinkContext(nested, "append", { path: dir }))).toThrow(/CSV data source does not support struct<start:timestamp,end:timestamp>/);
  });
});

describe("file sink factory", () => {
  it("accepts only append output mode, naming the mode", () => {
    for (const mode of ["update", "complete"] as const) {
      const make = () => fileSinkFactory("json")(sinkContext(events, mode, { path: dir }));
      expect(make).toThrow(ConnectorError);
      expect(make).toThrow(`Data source json does not support ${mode === "update" ? "Update" : "Complete"} output mode`);
    }
  });

  it("refuses a non-append batch at addBatch too", async () => {
    const sink = await sinkFor("json", events);
    await expect(sink.addBatch(0, table(events, [row(1, "a")]), "complete")).rejects.toThrow(/Complete output mode/);
  });

  it("needs a path", () => {
    expect(() => fileSinkFactory("json")(sinkContext(events, "append", {}))).toThrow(/'path' is not specified/);
    expect(() => fileSinkFactory("csv")(sinkContext(events, "append", { PATH: "" }))).toThrow(ConnectorError);
  });

  it("resolves known formats case-insensitively and lists them for unknown ones", () => {
    expect(typeof resolveSinkFactory("JSON")).toBe("function");
    expect(typeof resolveSinkFactory("console")).toBe("function");
    expect(typeof resolveSinkFactory("Parquet")).toBe("function");
    expect(() => resolveSinkFactory("orc")).toThrow(/unknown sink format 'orc'; known formats: console, csv, (jdbc, )?json, memory/);
    expect(() => resolveSinkFactory("constructor")).toThrow(ConnectorError);
  });
});
