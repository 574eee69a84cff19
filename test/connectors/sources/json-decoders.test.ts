import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import { valueAt } from "../../../src/columnar/vector.ts";
import { decodeJsonFilesInBlocks, JsonDecoders, type JsonFileTask } from "../../../src/connectors/sources/json-file-task.ts";
import type { ParseMode } from "../../../src/connectors/sources/parse-mode.ts";
import { tempDirs } from "../../temp-dirs.ts";

const tempDir = tempDirs();

/** A file of `rows` events (urls repeating across files) and `bad` malformed lines after them. */
async function file(dir: string, name: string, rows: number, bad: number): Promise<string> {
  let text = "";
  for (let i = 0; i < rows; i++) text += JSON.stringify({ url: `/page/${i % 7}`, bytes: i }) + "\n";
  for (let i = 0; i < bad; i++) text += '{"url": "/page/1", "bytes": oops}\n';
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const task = (path: string, mode: ParseMode = "DROPMALFORMED", columns?: string[]): JsonFileTask => ({
  path, schemaDdl: "url STRING, bytes BIGINT", columns, filters: undefined, mode, corruptRecordColumn: "_corrupt_record",
});

/** The rows of `tasks` as [url, bytes] pairs (or [url] with one column), and how many lines were malformed. */
async function decode(tasks: JsonFileTask[], decoders?: JsonDecoders): Promise<{ rows: unknown[][]; malformed: number }> {
  const batches: ColumnBatch[] = [];
  const malformed = await decodeJsonFilesInBlocks(tasks, undefined, async (some) => { batches.push(...some); }, decoders);
  const rows = batches.flatMap((b) => Array.from({ length: b.numRows }, (_, i) => b.schema.fields.map((_, c) => valueAt(b.column(c), i))));
  return { rows, malformed };
}

describe("JSON decoders kept across files (a worker's tasks, a query's batches)", () => {
  test("a kept decoder gives each call its own rows and its own count of malformed lines", async () => {
    const dir = await tempDir("rivulet-decoders-");
    const a = await file(dir, "a.json", 30, 1);
    const b = await file(dir, "b.json", 20, 2);
    const decoders = new JsonDecoders();
    const first = await decode([task(a)], decoders);
    const second = await decode([task(b)], decoders);
    expect(first.malformed).toBe(1);
    expect(second.malformed).toBe(2); // not 3: the count is the call's, though the decoder is the same
    expect(second).toEqual(await decode([task(b)])); // as a fresh decoder gives
    expect(first.rows).toHaveLength(30);
    expect(second.rows[13]).toEqual(["/page/6", 13]);
  });

  test("other options get another decoder: the columns read follow each call's task", async () => {
    const dir = await tempDir("rivulet-decoders-");
    const a = await file(dir, "a.json", 5, 0);
    const decoders = new JsonDecoders();
    expect((await decode([task(a)], decoders)).rows[4]).toEqual(["/page/4", 4]);
    expect((await decode([task(a, "DROPMALFORMED", ["url"])], decoders)).rows[4]).toEqual(["/page/4"]);
    expect((await decode([task(a)], decoders)).rows[4]).toEqual(["/page/4", 4]);
  });

  test("after a FAILFAST error the decoder is dropped: the next file decodes whole", async () => {
    const dir = await tempDir("rivulet-decoders-");
    const bad = await file(dir, "bad.json", 10, 1);
    const good = await file(dir, "good.json", 12, 0);
    const decoders = new JsonDecoders();
    await expect(decode([task(bad, "FAILFAST")], decoders)).rejects.toThrow(/bad\.json:11/);
    const next = await decode([task(good, "FAILFAST")], decoders);
    expect(next.rows).toHaveLength(12);
    expect(next.malformed).toBe(0);
  });
  test("files of one call are read one ahead: rows come in file order, and a file gone before its turn fails naming it after the earlier files' rows", async () => {
    const dir = await tempDir("rivulet-decoders-");
    const paths = await Promise.all(Array.from({ length: 6 }, (_, k) => file(dir, `f${k}.json`, 3 + k, 0)));
    const all = await decode(paths.map((p) => task(p)));
    expect(all.rows.map((r) => r[1])).toEqual(paths.flatMap((_, k) => Array.from({ length: 3 + k }, (_, i) => i)));
    const delivered: number[] = [];
    const gone = [...paths.slice(0, 3), join(dir, "gone.json"), paths[4]!].map((p) => task(p));
    await expect(decodeJsonFilesInBlocks(gone, 4, async (some) => { for (const b of some) delivered.push(b.numRows); }))
      .rejects.toThrow(/gone\.json/);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(3 + 4 + 5 - ((3 + 4 + 5) % 4)); // full batches of 4 rows before the failure
  });
});
