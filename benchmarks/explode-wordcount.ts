/**
 * A word count over text lines — `explode(split(value, ' '))` grouped and counted — run in
 * one process on the same lines (a text file written once) by:
 *   1. the loop a user would write by hand (read the file, split each line, count in a Map);
 *   2. rivulet as a batch query over the text source;
 *   3. DuckDB: `unnest(string_split(column0, ' '))` over the same file, one thread.
 * One untimed warm-up run each, then BENCH_ROUNDS interleaved rounds; the median counts.
 *
 *   npx tsx benchmarks/explode-wordcount.ts                      # 1M lines of 8 words
 *   BENCH_LINES=200000 BENCH_ROUNDS=5 npx tsx benchmarks/explode-wordcount.ts
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Session, col, explode, split } from "../src/index.ts";
import { median } from "./bench-stats.ts";

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WORDS_PER_LINE = 8;
const VOCABULARY = Array.from({ length: 5000 }, (_, k) => `w${k.toString(36)}`);

async function writeLines(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rivulet-bench-wordcount-"));
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) lines.push(Array.from({ length: WORDS_PER_LINE }, () => VOCABULARY[Math.floor((next() / 2147483648) * VOCABULARY.length)]).join(" "));
  await writeFile(join(dir, "lines.txt"), lines.join("\n") + "\n");
  return dir;
}

async function handWritten(dir: string): Promise<number> {
  const counts = new Map<string, number>();
  for (const line of (await readFile(join(dir, "lines.txt"), "utf8")).split("\n")) {
    if (line === "") continue;
    for (const w of line.split(" ")) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts.size;
}

const spark = Session.builder().appName("bench-explode").getOrCreate();
async function rivulet(dir: string): Promise<number> {
  const rows = await spark.read.text(dir).select(explode(split(col("value"), " ")).alias("word")).groupBy("word").count().collect();
  return rows.length;
}

const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
const duck = await instance.connect();
async function duckdb(dir: string): Promise<number> {
  const sql = `SELECT word, count(*) AS n FROM (SELECT unnest(string_split(column0, ' ')) AS word
    FROM read_csv('${join(dir, "lines.txt")}', header = false, delim = '\\t', columns = {'column0': 'VARCHAR'})) GROUP BY word`;
  return (await duck.runAndReadAll(sql)).getRowObjectsJS().length;
}

const dir = await writeLines();
const runners = { "hand-written": handWritten, rivulet, "duckdb (1 thread)": duckdb } as const;
const times: Record<string, number[]> = {};
const expected = await handWritten(dir);
for (const [name, run] of Object.entries(runners)) {
  const groups = await run(dir);
  if (groups !== expected) throw new Error(`${name} found ${groups} distinct words, the hand-written loop ${expected}`);
  times[name] = [];
}
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(runners)) {
    const start = performance.now();
    await run(dir);
    times[name]!.push((performance.now() - start) / 1000);
  }
}
const words = LINES * WORDS_PER_LINE;
for (const [name, ts] of Object.entries(times)) {
  const m = median(ts);
  console.log(`${name.padEnd(20)} ${m.toFixed(2)} s  ${(words / m / 1e6).toFixed(2)} M words/s`);
}
console.log(`rivulet / hand-written: ${(median(times["hand-written"]!) / median(times.rivulet!)).toFixed(2)}x the speed; rivulet / duckdb: ${(median(times["duckdb (1 thread)"]!) / median(times.rivulet!)).toFixed(2)}x`);
