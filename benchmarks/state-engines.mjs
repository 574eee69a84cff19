// Engine micro-benchmark for the disk-backed state store, a dedup-like workload: batches of
// 50,000 new ~24-byte keys in scrambled order (each looked up, missing, then put in one
// write batch), plus 50,000 lookups of existing keys a batch. Prints wall time, get/put
// time, peak RSS (sampled every 20 ms) and bytes on disk. rocksdb-native is not a
// dependency of rivulet: run this in a scratch directory:
//   npm i lmdb@3.5.6 rocksdb-native@3.18.1 && node state-engines.mjs <lmdb|rocksdb> <totalKeys>
// (WM=1: LMDB with useWritemap; RESET=1: reset LMDB's read transaction before each write batch.)
import { rmSync, mkdirSync, statSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const [engine, totalArg] = process.argv.slice(2);
const total = Number(totalArg ?? 2_000_000);
const BATCH = 50_000;
const dir = `/tmp/ssbench/db-${engine}-${process.pid}`;
rmSync(dir, { recursive: true, force: true }); mkdirSync(dir, { recursive: true });
const key = (i) => Buffer.from(`user-${String(i * 2654435761 % 4294967296).padStart(10, "0")}-${i}`); // ~24 bytes, random order
const value = (i) => { const b = Buffer.alloc(8); b.writeDoubleLE(i); return b; };
let peak = 0; const sample = () => { const r = process.memoryUsage.rss(); if (r > peak) peak = r; };
const timer = setInterval(sample, 20);
let getMs = 0, putMs = 0, commitMs = 0, hits = 0;
const t0 = performance.now();
if (engine === "lmdb") {
  const { open } = require("lmdb");
  const db = open({ path: dir, keyEncoding: "binary", encoding: "binary", noSync: true, compression: false, cache: false, useWritemap: process.env.WM === "1" });
  for (let b = 0; b * BATCH < total; b++) {
    let t = performance.now();
    for (let i = b * BATCH; i < (b + 1) * BATCH; i++) { if (db.getBinaryFast(key(i)) !== undefined) hits++; }     // new keys: misses
    for (let i = 0; i < BATCH && b > 0; i++) { const j = Math.floor(Math.random() * b * BATCH); if (db.getBinaryFast(key(j)) !== undefined) hits++; } // existing: hits
    getMs += performance.now() - t; t = performance.now();
    if (process.env.RESET === "1") db.resetReadTxn();
    db.transactionSync(() => { for (let i = b * BATCH; i < (b + 1) * BATCH; i++) db.putSync(key(i), value(i)); });
    putMs += performance.now() - t; sample();
  }
  await db.close();
} else {
  const RocksDB = require("rocksdb-native");
  const db = new RocksDB(dir, {});
  await db.ready();
  for (let b = 0; b * BATCH < total; b++) {
    let t = performance.now();
    const r = db.read(); const ps = [];
    for (let i = b * BATCH; i < (b + 1) * BATCH; i++) ps.push(r.get(key(i)));
    for (let i = 0; i < BATCH && b > 0; i++) ps.push(r.get(key(Math.floor(Math.random() * b * BATCH))));
    await r.flush(); for (const v of await Promise.all(ps)) if (v !== null) hits++;
    getMs += performance.now() - t; t = performance.now();
    const w = db.write();
    for (let i = b * BATCH; i < (b + 1) * BATCH; i++) w.put(key(i), value(i));
    await w.flush();
    putMs += performance.now() - t; sample();
  }
  const t = performance.now(); await db.flush(); commitMs += performance.now() - t;
  void db.close(); // close() does not settle in rocksdb-native 3.18.1 here
}
const wall = performance.now() - t0; clearInterval(timer); sample();
const bytes = readdirSync(dir).reduce((s, f) => s + statSync(`${dir}/${f}`).size, 0);
console.log(JSON.stringify({ engine, total, wallMs: Math.round(wall), keysPerSec: Math.round(total / wall * 1000), getMs: Math.round(getMs), putMs: Math.round(putMs), commitMs: Math.round(commitMs), hits, peakRssMiB: Math.round(peak / 2 ** 20), diskMiB: Math.round(bytes / 2 ** 20) }));
rmSync(dir, { recursive: true, force: true });
