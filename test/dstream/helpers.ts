import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { Session, StreamingContext, type DStream } from "../../src/index.ts";

/** A context on the manual clock with a 1 s batch interval (or `interval` seconds). */
export function manualContext(interval = 1): StreamingContext {
  const ssc = new StreamingContext(Session.builder().getOrCreate(), interval, { clock: "manual" });
  contexts.push(ssc);
  return ssc;
}

const contexts: StreamingContext[] = [];
const dirs: string[] = [];

export async function tempDir(prefix = "rivulet-dstream-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const ssc of contexts.splice(0)) await ssc.stop().catch(() => undefined);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Records what a stream outputs, batch by batch: `batches[i]` is the i-th output's values. */
export interface Collected<T> {
  readonly batches: T[][];
  readonly times: number[];
  /** The values of the last batch. */
  last(): T[];
}

export function collect<T>(stream: DStream<T>): Collected<T> {
  const batches: T[][] = [];
  const times: number[] = [];
  stream.foreachRDD((rdd, time) => {
    batches.push(rdd.collect());
    times.push(time);
  });
  return { batches, times, last: () => batches[batches.length - 1] ?? [] };
}

/** Pairs sorted by key (then value), to compare batches whose order is not defined. */
export function sortPairs<K, V>(pairs: readonly [K, V][]): [K, V][] {
  const key = (v: unknown): string => JSON.stringify(v);
  return [...pairs].sort((a, b) => (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : key(a[1]) < key(b[1]) ? -1 : 1));
}

/** Runs `n` batches on the manual clock. */
export async function runBatches(ssc: StreamingContext, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await ssc.advanceClock(ssc.batchDurationMs);
}
