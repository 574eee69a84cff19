import { describe, expect, it } from "vitest";
import { batchToRows } from "../../../src/columnar/values.ts";
import { BatchAssembler } from "../../../src/connectors/sources/batch-assembler.ts";
import { JsonLinesDecoder } from "../../../src/connectors/sources/json-lines-decoder.ts";
import { MalformedRecords } from "../../../src/connectors/sources/parse-mode.ts";
import { parseSchema } from "../../../src/types/ddl.ts";

const DDL = "time TIMESTAMP, action STRING, n INT";
const line = (time: string): string => `{"time":"${time}","action":"view","n":3}`;

function decode(lines: readonly string[]): { rows: Record<string, unknown>[]; compiledLines: number } {
  const decoder = new JsonLinesDecoder(parseSchema(DDL), undefined, { corruptRecordColumn: "_corrupt_record", malformed: new MalformedRecords("FAILFAST", "json") });
  const out = new BatchAssembler(decoder.outputSchema);
  decoder.decodeLines(Buffer.from(lines.join("\n")), 0, Buffer.byteLength(lines.join("\n")), "f.json", 1, out);
  return { rows: out.finishColumns().flatMap((batch) => batchToRows(batch)), compiledLines: decoder.compiledLines };
}

const pad = (n: number): string => String(n).padStart(2, "0");

describe("the compiled fast path's timestamps", () => {
  // Every minute (the minute's microseconds exceed int32 from minute 36) and hours that
  // change from line to line, past the lines whose hour is parsed even when cached.
  it("agree with the general path for every minute, second and hour, in both fraction forms", () => {
    const times: string[] = [];
    for (let k = 0; k < 600; k++) {
      const mi = k % 60, sec = (k * 7) % 60, hour = Math.floor(k / 7) % 24, day = 1 + (Math.floor(k / 170) % 28);
      const stamp = `2026-03-${pad(day)}T${pad(hour)}:${pad(mi)}:${pad(sec)}`;
      times.push(k % 2 === 0 ? `${stamp}.${String(k % 1000).padStart(3, "0")}Z` : `${stamp}.${String(k * 1601 % 1000000).padStart(6, "0")}Z`);
    }
    const teach = Array.from({ length: 100 }, () => line("2026-01-01T00:00:00.023Z"));
    const fast = decode([...teach, ...times.map(line)]);
    expect(fast.compiledLines).toBeGreaterThanOrEqual(teach.length + times.length - 1);
    const general = times.map((t) => decode([line(t)]));
    for (const g of general) expect(g.compiledLines).toBe(0);
    expect(fast.rows.slice(teach.length)).toEqual(general.map((g) => g.rows[0]));
    // And the values themselves: whole milliseconds as Date.parse reads them.
    expect(times.filter((_, k) => k % 2 === 0).map((t) => Date.parse(t)))
      .toEqual(fast.rows.slice(teach.length).filter((_, k) => k % 2 === 0).map((r) => (r.time as Date).getTime()));
  });
});
