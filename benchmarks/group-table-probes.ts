/**
 * The group table alone (src/physical/group-table/), as the per-url job drives it: 2M rows
 * in chunks of 40,000, each chunk's distinct (url, hour) keys found or added in one
 * findOrInsert, urls skewed over BENCH_URLS (40,000 ≈ 1.2M groups, 2,000 ≈ 98k), the hour
 * advancing with the chunks as the log files do. CPU seconds of hash + findOrInsert only
 * (key generation excluded), per round; prints each round and the median. Issue 18: the cost
 * per key of a table far larger than the caches is its cache misses.
 *
 *   npx tsx benchmarks/group-table-probes.ts
 *   BENCH_URLS=2000 BENCH_RUNS=7 npx tsx benchmarks/group-table-probes.ts
 */
import { GroupTable } from "../src/physical/group-table/group-table.ts";
import type { EncodedKeys } from "../src/physical/group-table/key-encoding.ts";
import { StringType, TimestampType } from "../src/types/data-types.ts";
import { median } from "./bench-stats.ts";

const URLS = Number(process.env.BENCH_URLS ?? 40_000);
const ROWS = 2_000_000, CHUNK = 40_000, HOURS = 48;
const ROUNDS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));

function round(): { cpuSeconds: number; groups: number } {
  let seed = 42;
  const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const table = new GroupTable([StringType, TimestampType]);
  let micros = 0;
  for (let c = 0; c < ROWS / CHUNK; c++) {
    const hour = Math.floor((c * HOURS) / (ROWS / CHUNK));
    const seen = new Set<number>();
    const keys: EncodedKeys = { tags: [new Uint8Array(CHUNK).fill(1), new Uint8Array(CHUNK).fill(1)], words: [new Float64Array(CHUNK), new Float64Array(CHUNK)] };
    let m = 0;
    for (let i = 0; i < CHUNK; i++) {
      const url = Math.floor(URLS * random() ** 1.5), h = hour + (random() < 0.1 ? 1 : 0);
      if (seen.has(url * 64 + h)) continue;
      seen.add(url * 64 + h);
      keys.words[0]![m] = url;
      keys.words[1]![m] = h * 3_600_000_000;
      m++;
    }
    const hashes = new Int32Array(m), slots = new Int32Array(m);
    const cpu = process.cpuUsage();
    table.hash(keys, m, hashes);
    table.findOrInsert(keys, hashes, m, slots);
    const used = process.cpuUsage(cpu);
    micros += used.user + used.system;
  }
  return { cpuSeconds: micros / 1e6, groups: table.size };
}

const runs: number[] = [];
let groups = 0;
for (let r = 0; r < ROUNDS; r++) {
  const result = round();
  runs.push(result.cpuSeconds);
  groups = result.groups;
}
console.log(`${URLS} urls, ${groups.toLocaleString("en-US")} groups: CPU s per round ${runs.map((x) => x.toFixed(3)).join(" ")}; median ${median(runs).toFixed(3)}`);
