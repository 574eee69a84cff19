import { describe, expect, it } from "vitest";
import { parseTimestampMicros } from "../../../src/columnar/temporal.ts";
import { timestampMicrosAt } from "../../../src/connectors/sources/iso-timestamp.ts";

describe("timestampMicrosAt", () => {
  it("agrees with parseTimestampMicros on the fast path and off it", () => {
    for (const text of [
      "2026-01-01T10:00:03Z", "2026-01-01T10:00:03.123Z", "2026-01-01T10:00:03.123456Z", "1969-12-31T23:59:59.5Z",
      "2026-01-01 10:00:03", "2026-01-01T10:00:03+02:00", "2026-01-01", "2026-13-01T10:00:03Z", "2026-01-01T10:00:03.Z", "junk",
      "2026-02-31T10:00:03Z", "2024-02-29T23:59:59.999999Z", "2026-04-30T00:00:00.1234567Z", "20a6-01-01T10:00:03Z",
      "2026-01-01T10:00:03.12x4Z", "2026-01-01T24:00:00Z", "2026-01-01T10:00:03.000001Z",
      "2026-01-28T00:00:00.39999999999999999Z", "2026-01-29T00:00:00.39999999999999999Z", "2026-01-28T00:00:00.9999999Z",
    ]) {
      const padded = Buffer.from(`xx${text}yy`);
      expect(timestampMicrosAt(padded, 2, 2 + text.length), text).toBe(parseTimestampMicros(text));
    }
  });

  it("truncates fractions beyond microseconds, as Spark does", () => {
    expect(parseTimestampMicros("2026-01-29T00:00:00.39999999999999999Z")! % 1_000_000).toBe(399_999);
    expect(parseTimestampMicros("2026-01-29T00:00:00.1234567Z")! % 1_000_000).toBe(123_456);
    expect(parseTimestampMicros("2026-01-29T00:00:00.5Z")! % 1_000_000).toBe(500_000);
  });
});
