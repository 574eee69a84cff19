import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Session, col, explode, explode_outer } from "../../src/index.ts";
import type { LocalDataset } from "../../src/api/local/local-dataset.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { plan } from "./helpers.ts";

const spark = Session.builder().appName("generate-rules").getOrCreate();
const optimized = (df: unknown): string => planString(spark.optimizePlan((df as LocalDataset<unknown>).plan));

async function jsonLines(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rivulet-generate-rules-"));
  await writeFile(join(dir, "part-0.json"), '{"id": 1, "name": "a", "tags": ["x", "y"], "note": "long text"}\n{"id": 2, "name": "b", "tags": [], "note": null}\n');
  return dir;
}

describe("optimizer rules around Generate", () => {
  it("a filter on the input's columns moves below the Generate; one on the generated column stays above", async () => {
    const df = spark.read.schema("id INT, name STRING, tags ARRAY<STRING>, note STRING").json(await jsonLines())
      .select(col("id"), explode(col("tags")).alias("tag"))
      .where(col("id").equalTo(1).and(col("tag").notEqual("y")));
    const text = optimized(df);
    expect(text).toBe(plan(`
      Project [id, tag]
      +- Filter (tag != y)
         +- Generate explode(tags), false, [tag]
            +- Filter (id = 1)
               +- Scan json ${text.match(/Scan json (\S+)/)![1]} [id, tags], PushedFilters: [EqualTo(id,1)]
    `));
    expect(await df.collect()).toEqual([{ id: 1, tag: "x" }]);
  });

  it("columns the query does not read are pruned below the Generate, the generator's argument kept", async () => {
    const df = spark.read.schema("id INT, name STRING, tags ARRAY<STRING>, note STRING").json(await jsonLines())
      .select(explode_outer(col("tags")).alias("tag"), col("name"));
    expect(optimized(df)).toMatch(/Generate explode_outer\(tags\), true, \[tag\]\n\s+\+- Scan json \S+ \[name, tags\]/);
    expect(await df.collect()).toEqual([{ tag: "x", name: "a" }, { tag: "y", name: "a" }, { tag: null, name: "b" }]);
  });
});
