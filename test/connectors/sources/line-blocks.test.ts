import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forEachByteLine, forEachLineBlock, forEachLineBlockSync } from "../../../src/connectors/sources/line-chunks.ts";
import { put, removeDir, tempDir } from "./helpers.ts";

let dir: string;
beforeEach(async () => { dir = await tempDir(); });
afterEach(async () => { await removeDir(dir); });

// Multi-byte characters, CRLF, an empty line, a line longer than several chunks, no final line break.
const LINES = ["{\"a\":\"héllo wörld\"}", "", "{\"b\":\"日本語テキスト\"}", `{"c":"${"x".repeat(40)}€"}`, "{\"d\":\"🙂\"}", "last"];
const TEXT = "\uFEFF" + LINES.slice(0, 3).join("\n") + "\r\n" + LINES.slice(3).join("\n");

function collect(into: string[]) {
  let line = 1;
  return (b: Buffer, start: number, end: number) => {
    line += forEachByteLine(b, start, end, line, (bytes, s, e, n) => { into[n - 1] = bytes.toString("utf8", s, e); });
  };
}

describe("line blocks over a file's bytes", () => {
  for (const chunk of [3, 7, 16, 64, 1 << 20]) {
    it(`cuts ${chunk}-byte chunks only at line breaks and drops the byte order mark`, async () => {
      const path = await put(dir, "f.json", TEXT);
      const lines: string[] = [];
      await forEachLineBlock(path, collect(lines), chunk);
      expect(lines).toEqual(LINES);
      const syncLines: string[] = [];
      forEachLineBlockSync(path, collect(syncLines), chunk);
      expect(syncLines).toEqual(LINES);
    });
  }

  it("an empty file gives no block; the sync form stops when asked", async () => {
    const empty = await put(dir, "e.json", "");
    const calls: number[] = [];
    await forEachLineBlock(empty, (_b, s, e) => { calls.push(e - s); });
    expect(calls).toEqual([]);
    const path = await put(dir, "g.json", "a\nb\nc\n");
    let blocks = 0;
    forEachLineBlockSync(path, () => { blocks++; return false; }, 2);
    expect(blocks).toBe(1);
  });
});
