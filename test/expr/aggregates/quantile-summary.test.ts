import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { compressSamples, emptySummary, insertValue, mergeSummaries, queryPercentiles } from "../../../src/expr/aggregates/quantile-summary.ts";
import { seededRandom } from "../../../src/common/seeded-random.ts";

/** The exact p-quantile as GK targets it: the value of rank ⌈p·n⌉ among sorted values. */
const exactRank = (sorted: Float64Array, p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;

describe("the Greenwald–Khanna summary (Spark's QuantileSummaries)", () => {
  it("is exact while ε·n < 1/2 (Spark's documented answers)", () => {
    const s = emptySummary(1 / 100);
    for (const x of [0, 1, 2, 10]) insertValue(s, x);
    expect(queryPercentiles(s, [0.5, 0.4, 0.1])).toEqual([1, 1, 0]);
    const t = emptySummary(1 / 100);
    for (const x of [0, 6, 7, 9, 10]) insertValue(t, x);
    expect(queryPercentiles(t, [0.5])).toEqual([7]);
    expect(queryPercentiles(emptySummary(1e-4), [0.5])).toBeNull();
  });

  it("keeps memory bounded on 2M shuffled rows and answers each rank within ε·n", () => {
    const n = 2_000_000, eps = 1 / 1000;
    const random = seededRandom(7);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = i;
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [values[i], values[j]] = [values[j]!, values[i]!]; }
    const s = emptySummary(eps);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      insertValue(s, values[i]!);
      largest = Math.max(largest, s.values.length + s.head.length);
    }
    compressSamples(s);
    expect(s.count).toBe(n);
    expect(largest).toBeLessThan(100_000);
    expect(s.values.length).toBeLessThan(20_000);
    const sorted = Float64Array.from(values).sort();
    const ps = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
    const answers = queryPercentiles(s, ps)!;
    ps.forEach((p, k) => expect(Math.abs(answers[k]! - exactRank(sorted, p))).toBeLessThanOrEqual(eps * n));
  });

  it("merges partial summaries (as partial aggregation and restored state do) within the bound, through v8 serialisation", () => {
    const eps = 1 / 500, parts = 4, per = 60_000;
    const summaries = Array.from({ length: parts }, () => emptySummary(eps));
    const all: number[] = [];
    for (let k = 0; k < parts; k++) for (let i = 0; i < per; i++) { const x = (i * 7919 + k * 104729) % 1_000_003; insertValue(summaries[k]!, x); all.push(x); }
    const merged = summaries.map((s) => deserialize(serialize(s))).reduce((a, b) => mergeSummaries(a, b));
    expect(merged.count).toBe(parts * per);
    const sorted = Float64Array.from(all).sort();
    for (const p of [0.05, 0.5, 0.95]) {
      const [answer] = queryPercentiles(merged, [p])!;
      const rank = sorted.indexOf(answer!);
      expect(Math.abs(rank + 1 - Math.ceil(p * sorted.length))).toBeLessThanOrEqual(2 * eps * sorted.length);
    }
  });
});
