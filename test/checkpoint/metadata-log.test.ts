import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MetadataLog } from "../../src/checkpoint/metadata-log.ts";
import { ConcurrentQueryError, InternalError, StateError } from "../../src/common/errors.ts";

class JsonLog extends MetadataLog<{ n: number }> {
  protected serialize(entry: { n: number }): string {
    return JSON.stringify(entry);
  }
  protected deserialize(body: string): { n: number } {
    return JSON.parse(body) as { n: number };
  }
}

let root: string;
let log: JsonLog;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "rivulet-log-"));
  log = new JsonLog(join(root, "log"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("MetadataLog", () => {
  it("is empty before anything is added", async () => {
    expect(await log.getLatest()).toBeNull();
    expect(await log.list()).toEqual([]);
    expect(await log.get(0)).toBeNull();
  });

  it("adds, gets and refuses a second add for the same batch id", async () => {
    expect(await log.add(0, { n: 10 })).toBe(true);
    expect(await log.add(0, { n: 99 })).toBe(false);
    expect(await log.get(0)).toEqual({ n: 10 });
    expect(await readFile(join(root, "log", "0"), "utf8")).toBe('v1\n{"n":10}');
  });

  it("finds the latest entry by numeric order and ignores other files", async () => {
    for (const id of [0, 1, 2, 9, 10]) await log.add(id, { n: id });
    await writeFile(join(root, "log", ".10.abc.tmp"), "partial");
    await writeFile(join(root, "log", "notes.txt"), "x");
    expect(await log.list()).toEqual([0, 1, 2, 9, 10]);
    expect(await log.getLatest()).toEqual({ batchId: 10, entry: { n: 10 } });
    expect((await log.getRange(1, 9)).map((e) => e.batchId)).toEqual([1, 2, 9]);
  });

  it("purges entries below the threshold", async () => {
    for (const id of [0, 1, 2, 3]) await log.add(id, { n: id });
    await log.purge(2);
    expect(await log.list()).toEqual([2, 3]);
    expect(await log.get(1)).toBeNull();
    expect((await readdir(join(root, "log"))).sort()).toEqual(["2", "3"]);
  });

  it("rejects a file with an unknown version, naming the file", async () => {
    await log.add(0, { n: 0 });
    const file = join(root, "log", "0");
    await writeFile(file, 'v2\n{"n":0}');
    await expect(log.get(0)).rejects.toThrow(StateError);
    await expect(log.get(0)).rejects.toThrow(`log file ${file} has version v2`);
  });

  it("rejects garbage, naming the file", async () => {
    await log.add(0, { n: 0 });
    const file = join(root, "log", "0");
    await writeFile(file, "\u0000\u0001garbage");
    await expect(log.getLatest()).rejects.toThrow(new RegExp(`log file ${file} is corrupt: expected the version line 'v1'`));
    await writeFile(file, "v1\n{not json");
    await expect(log.get(0)).rejects.toThrow(StateError);
    await expect(log.get(0)).rejects.toThrow(`log file ${file} is corrupt`);
  });

  it("refuses negative or fractional batch ids", async () => {
    await expect(log.add(-1, { n: 0 })).rejects.toThrow(InternalError);
    await expect(log.get(1.5)).rejects.toThrow(InternalError);
  });
});

describe("MetadataLog.addNew", () => {
  it("writes a new entry once; a second writer of the same batch gets ConcurrentQueryError and the first entry stays", async () => {
    await log.addNew(0, { n: 1 });
    const error = await log.addNew(0, { n: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentQueryError);
    expect((error as Error).message).toBe(
      `Multiple streaming queries are concurrently using ${join(root, "log")}: ${join(root, "log", "0")} was written by another query while this one was about to write it`,
    );
    expect(await log.get(0)).toEqual({ n: 1 });
  });
});
