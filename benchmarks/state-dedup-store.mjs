/**
 * The disk state store alone, as dropDuplicates drives it: KEYS new UTF-8 keys (state-dedup.ts's
 * ids, flat strings, hashed as the JSON decoder hashes them) in versions of 50,000, each
 * putIfAbsentUtf8 then commit, on DiskStateStoreProvider with a 256 MiB budget. No JSON decoding,
 * no query: CPU ms of putIfAbsentUtf8 alone and of load + put + commit, for A/B runs of two builds.
 *
 *   npx tsc -p tsconfig.bench.json
 *   node benchmarks/state-dedup-store.mjs [<repo dir with .bench-build>] [keys]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const dir = process.argv[2] ?? join(import.meta.dirname, "..");
const KEYS = Number(process.argv[3] ?? 2000000);
const { DiskStateStoreProvider } = await import(`${dir}/.bench-build/src/state/disk/disk-state-store-provider.js`);
const { hashString } = await import(`${dir}/.bench-build/src/columnar/utf8-hash.js`);
const work = mkdtempSync(join(tmpdir(), "rivulet-bench-dedup-store-"));
const provider = new DiskStateStoreProvider({ dir: join(work, "ckpt"), localDir: join(work, "local"), memoryBudgetBytes: 256 * 1024 * 1024 });
const B = 50000;
let put = 0, total = 0, added = 0, last = null;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let v = 0; v * B < KEYS; v++) {
  const lines = [];
  for (let i = v * B; i < Math.min(KEYS, (v + 1) * B); i++) lines.push(`u${((i * 2654435761) % 4294967296).toString(36)}-${"x".repeat(i % 12)}${i.toString(36)}`);
  const buf = Buffer.from(lines.join("\n"));
  const keys = buf.toString("latin1").split("\n");
  const hashes = Int32Array.from(keys, (k) => hashString(k));
  const times = new Float64Array(keys.length).fill(1.7e15 + v);
  const t0 = cpu();
  const store = await provider.load(v);
  const t1 = cpu();
  const out = store.putIfAbsentUtf8(keys, hashes, times);
  const t2 = cpu();
  await store.commit();
  const t3 = cpu();
  put += t2 - t1; total += t3 - t0;
  last = store.metrics().customMetrics;
  for (const x of out) added += x;
}
await provider.close();
rmSync(work, { recursive: true, force: true });
if (added !== KEYS) throw new Error(`added ${added}`);
console.log(JSON.stringify({ build: dir.split("/").pop(), keys: KEYS, putMs: Math.round(put), totalMs: Math.round(total), rssMiB: Math.round(process.resourceUsage().maxRSS / 1024), ...(process.env.BENCH_METRICS ? { metrics: last } : {}) }));
