import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("Dataset.colRegex", () => {
  test("a back-quoted regex names the one column whose whole name it matches; a plain name is the column", async () => {
    const df = spark.sql("SELECT 1 AS x, 2 AS xy, 3 AS y");
    expect(await df.select(df.colRegex("`^x$`")).collect()).toEqual([{ x: 1 }]);
    expect(await df.select(df.colRegex("`x.`")).collect()).toEqual([{ xy: 2 }]);
    expect(await df.select(df.colRegex("y")).collect()).toEqual([{ y: 3 }]);
    expect(() => df.colRegex("`x.*`")).toThrow("matching several columns (`x`, `xy`)");
    expect(() => df.colRegex("`z`")).toThrow("UNRESOLVED_COLUMN");
  });
});
