/**
 * The time to update KEYS keys of the file state store and commit the version (the delta
 * file written atomically), against a baseline in the same run: the same updates on a
 * plain Map, then the same entries serialised with node:v8 and written with the same
 * atomic write. The ratio is the store's own cost on top of the bytes it must write. The
 * target: a 100k-key delta well under a second (a unit test once asserted < 1000 ms).
 *
 * Both paths are warmed up alike (WARMUP rounds each, not timed), then timed in
 * interleaved rounds (store, baseline, store, …) so that a busy disk or CPU hits both;
 * the summary takes the median of each.
 *
 *   npx tsx benchmarks/state-delta.ts
 *   BENCH_KEYS=10000 BENCH_ROUNDS=3 npx tsx benchmarks/state-delta.ts    (a quick smoke run)
 *   BENCH_DIR=/dev/shm npx tsx benchmarks/state-delta.ts                 (without the disk)
 *   BENCH_PROVIDERS=file,disk npx tsx benchmarks/state-delta.ts          (each provider, rounds interleaved)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serialize } from "node:v8";
import { CheckpointPaths } from "../src/checkpoint/paths.ts";
import { writeFileAtomic } from "../src/common/atomic-file.ts";
import { DiskStateStoreProvider } from "../src/state/disk/disk-state-store-provider.ts";
import { FileStateStoreProvider } from "../src/state/file-state-store-provider.ts";
import type { StateStoreProvider } from "../src/state/state-store.ts";
import { median } from "./bench-stats.ts";

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const BASE_DIR = process.env.BENCH_DIR ?? tmpdir();
const PROVIDERS = (process.env.BENCH_PROVIDERS ?? "file").split(",");

function makeProvider(name: string, dir: string): StateStoreProvider<number[]> {
  if (name === "file") return FileStateStoreProvider.forOperator<number[]>(new CheckpointPaths(dir), 0, 0);
  if (name === "disk") return new DiskStateStoreProvider<number[]>({ dir: join(dir, "state"), localDir: join(dir, "local") });
  throw new Error(`unknown provider ${name}`);
}

/** Version 1 of a store holding KEYS keys; times updating every key and committing version 2. */
async function timeStore(name: string, dir: string): Promise<number> {
  const provider = makeProvider(name, dir);
  let store = await provider.load(0);
  for (let i = 0; i < KEYS; i++) store.put(`key-${i}`, [i, i * 2]);
  await store.commit();
  store = await provider.load(1);
  const start = performance.now();
  for (let i = 0; i < KEYS; i++) {
    const value = store.get(`key-${i}`)!;
    value[0]! += 1;
    store.put(`key-${i}`, value);
  }
  await store.commit();
  const elapsed = performance.now() - start;
  await provider.close();
  const reopened = makeProvider(name, dir);
  const check = await reopened.load(2);
  if (check.numKeys !== KEYS || check.get(`key-${KEYS - 1}`)?.[0] !== KEYS) throw new Error("the store did not hold the updates");
  check.abort();
  await reopened.close();
  return elapsed;
}

/** The floor: the same updates on a Map, the changed entries serialised and written atomically. */
async function timeBaseline(dir: string): Promise<number> {
  const map = new Map<string, number[]>();
  for (let i = 0; i < KEYS; i++) map.set(`key-${i}`, [i, i * 2]);
  const start = performance.now();
  const changed: unknown[] = [];
  for (let i = 0; i < KEYS; i++) {
    const value = map.get(`key-${i}`)!;
    value[0]! += 1;
    map.set(`key-${i}`, value);
    changed.push(`key-${i}`, value);
  }
  await writeFileAtomic(join(dir, "baseline.bin"), serialize(changed));
  return performance.now() - start;
}

async function inFreshDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(BASE_DIR, "rivulet-bench-state-"));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}


for (let i = 0; i < WARMUP; i++) {
  for (const name of PROVIDERS) await inFreshDir((dir) => timeStore(name, dir));
  await inFreshDir(timeBaseline);
}
const stores = new Map<string, number[]>(PROVIDERS.map((p) => [p, []]));
const baseline: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const name of PROVIDERS) stores.get(name)!.push(await inFreshDir((dir) => timeStore(name, dir)));
  baseline.push(await inFreshDir(timeBaseline));
  console.log(`round ${round + 1}: ${PROVIDERS.map((p) => `${p} ${stores.get(p)!.at(-1)!.toFixed(1)} ms`).join(", ")}, baseline ${baseline.at(-1)!.toFixed(1)} ms`);
}
const b = median(baseline);
console.log(`${KEYS} keys updated and committed, median of ${ROUNDS} interleaved rounds (after ${WARMUP} warm-up rounds each):`);
for (const name of PROVIDERS) {
  const s = median(stores.get(name)!);
  console.log(`  ${name} state store: ${s.toFixed(1)} ms   baseline (Map + v8 serialise + atomic write): ${b.toFixed(1)} ms   ratio ${(s / b).toFixed(2)}`);
}
