import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isTempFileName, readFileIfExists, writeFileAtomic, writeFileAtomicIfAbsent } from "../../src/common/atomic-file.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "rivulet-atomic-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("writes, replaces, and leaves no temp file behind", async () => {
    const file = join(dir, "a");
    await writeFileAtomic(file, "one");
    expect(await readFile(file, "utf8")).toBe("one");
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(["a"]);
  });

  it("creates missing parent directories", async () => {
    const file = join(dir, "x", "y", "z");
    await writeFileAtomic(file, "deep");
    expect(await readFile(file, "utf8")).toBe("deep");
  });
});

describe("writeFileAtomicIfAbsent", () => {
  it("writes a new file and refuses to clobber an existing one", async () => {
    const file = join(dir, "0");
    expect(await writeFileAtomicIfAbsent(file, "first")).toBe(true);
    expect(await writeFileAtomicIfAbsent(file, "second")).toBe(false);
    expect(await readFile(file, "utf8")).toBe("first");
    expect(await readdir(dir)).toEqual(["0"]);
  });

  it("does not clobber a file written by someone else", async () => {
    const file = join(dir, "0");
    await writeFile(file, "theirs");
    expect(await writeFileAtomicIfAbsent(file, "mine")).toBe(false);
    expect(await readFile(file, "utf8")).toBe("theirs");
  });

  it("lets exactly one of many concurrent writers win", async () => {
    const file = join(dir, "race");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => writeFileAtomicIfAbsent(file, `writer ${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await readFile(file, "utf8")).toBe(`writer ${winner}`);
    expect(await readdir(dir)).toEqual(["race"]);
  });
});

describe("readFileIfExists", () => {
  it("returns null for a missing file, bytes or text otherwise", async () => {
    expect(await readFileIfExists(join(dir, "missing"))).toBeNull();
    expect(await readFileIfExists(join(dir, "missing"), "utf8")).toBeNull();
    await writeFileAtomic(join(dir, "f"), "text");
    expect(await readFileIfExists(join(dir, "f"), "utf8")).toBe("text");
    expect((await readFileIfExists(join(dir, "f")))?.toString()).toBe("text");
  });
});

it("recognises its temp file names", () => {
  expect(isTempFileName(".0.abc123.tmp")).toBe(true);
  expect(isTempFileName("0")).toBe(false);
});
