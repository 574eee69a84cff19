/**
 * Message buses: events per second from a NATS JetStream stream and from a Redis stream
 * into the headline job (count per action per 1-hour window, as benchmarks/streaming-jobs.ts),
 * beside each official client's own consume loop over the same messages, in the same run.
 *
 *   rivulet:  readStream.format("nats"|"redis") (startingOffsets earliest, availableNow)
 *             → from_json(value, DDL) → groupBy(action, window(time, "1 hour")).count()
 *             → memory sink, complete mode
 *   client:   NATS: an ordered consumer's consume() loop; Redis: an XREAD loop (COUNT 5000);
 *             each message's value decoded (JSON.parse of its text) and nothing else.
 *
 * The events are the first lines of the benchmark's generated web logs
 * (benchmarks/data/logs-v2-2000000), published once into a stream and a key of their own on
 * the shared servers (nats://127.0.0.1:4222, redis://127.0.0.1:6379) and removed at the end.
 * Rounds alternate rivulet and the client loop; medians count.
 *
 *   npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/bus-ingest.js
 *   BENCH_EVENTS=400000 BENCH_RUNS=5 node .bench-build/benchmarks/bus-ingest.js
 */
import { readFile } from "node:fs/promises";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { createClient } from "redis";
import { Session, col, from_json, window, type DataFrame } from "../src/index.ts";
import { prepareLogData } from "./log-data.ts";
import { DDL } from "./engines/engine-run.ts";
import { median } from "./bench-stats.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const BUSES = process.env.BENCH_BUSES?.split(",") ?? ["nats", "redis"];
const NATS_URL = "nats://127.0.0.1:4222";
const REDIS_URL = "redis://127.0.0.1:6379";
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const STREAM = `BENCH_BUS_${suffix}`.toUpperCase();
const KEY = `rivulet-bench:bus:${suffix}`;

async function events(): Promise<string[]> {
  const lines: string[] = [];
  for (const file of await prepareLogData(2_000_000)) {
    for (const line of (await readFile(file, "utf8")).split("\n")) {
      if (line !== "") lines.push(line);
      if (lines.length === EVENTS) return lines;
    }
  }
  return lines;
}

const spark = Session.builder().appName("bench-bus").getOrCreate();
let queries = 0;
/** The last rivulet run's time in its source's getBatch (reading the messages into columns), ms. */
let lastGetBatchMs = 0;
/** The headline job over a bus source's values, to completion; its total count. */
async function rivulet(values: DataFrame): Promise<number> {
  const name = `bus_bench_${queries++}`;
  const query = values.select(from_json(col("value"), DDL).as("e")).select("e.*")
    .groupBy(col("action"), window(col("time"), "1 hour")).count()
    .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
  await query.awaitTermination();
  lastGetBatchMs = query.recentProgress.reduce((ms, p) => ms + (p.durationMs.getBatch ?? 0), 0);
  return (await spark.table(name).collect()).reduce((n, r) => n + Number(r.count), 0);
}

const natsValues = (): DataFrame => spark.readStream.format("nats")
  .options({ servers: NATS_URL, stream: STREAM, startingOffsets: "earliest" }).load().select(col("value").cast("string").as("value"));
const redisValues = (): DataFrame => spark.readStream.format("redis")
  .options({ url: REDIS_URL, stream: KEY, startingOffsets: "earliest" }).load().selectExpr("element_at(fields, 'v') AS value");

const nc = await connect({ servers: NATS_URL });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);
const redis = await createClient({ url: REDIS_URL }).connect();

/** The ordered consumer's loop over the whole stream, decoding each value; the number of events decoded. */
async function natsClientLoop(): Promise<number> {
  const consumer = await js.consumers.get(STREAM, { opt_start_seq: 1 });
  const messages = await consumer.consume({ max_messages: 1000 });
  let n = 0;
  for await (const m of messages) {
    if (JSON.parse(m.string()).action !== undefined) n++;
    if (m.info.pending === 0) break;
  }
  await consumer.delete().catch(() => false);
  return n;
}

/** XREAD from the start to the end of the key, decoding each value; the number of events decoded. */
async function redisClientLoop(): Promise<number> {
  let id = "0-0";
  let n = 0;
  for (;;) {
    const reply = (await redis.xRead({ key: KEY, id }, { COUNT: 5000 })) as { messages: { id: string; message: Record<string, string> }[] }[] | null;
    const entries = reply?.[0]?.messages ?? [];
    if (entries.length === 0) return n;
    for (const e of entries) if (JSON.parse(e.message.v!).action !== undefined) n++;
    id = entries[entries.length - 1]!.id;
  }
}

async function timed(run: () => Promise<number>): Promise<[number, number]> {
  const t0 = performance.now();
  const n = await run();
  return [(performance.now() - t0) / 1000, n];
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

try {
  const lines = await events();
  const t0 = performance.now();
  if (BUSES.includes("nats")) {
    await jsm.streams.add({ name: STREAM, subjects: [`${STREAM}.>`] });
    const encoder = new TextEncoder();
    for (let i = 0; i < lines.length; i++) {
      nc.publish(`${STREAM}.${JSON.parse(lines[i]!).action}`, encoder.encode(lines[i]!));
      if (i % 10_000 === 9_999) await nc.flush();
    }
    await nc.flush();
    while ((await jsm.streams.info(STREAM)).state.messages < lines.length) await new Promise((r) => setTimeout(r, 50));
  }
  if (BUSES.includes("redis")) {
    for (let i = 0; i < lines.length; i += 5000) {
      const multi = redis.multi();
      for (const line of lines.slice(i, i + 5000)) multi.xAdd(KEY, "*", { v: line });
      await multi.execAsPipeline();
    }
  }
  console.error(`published ${fmt(lines.length)} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const runs: Record<string, number[]> = {};
  const record = (what: string, seconds: number, n: number): void => {
    if (n !== lines.length) throw new Error(`${what}: ${n} events, expected ${lines.length}`);
    (runs[what] ??= []).push(seconds);
  };
  // The part of the rivulet run spent in its source's getBatch (the read path alone), reported beside the rest.
  // Warm-up (untimed): each path once.
  for (const bus of BUSES) {
    await (bus === "nats" ? natsClientLoop() : redisClientLoop());
    await rivulet(bus === "nats" ? natsValues() : redisValues());
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const bus of BUSES) {
      const [cs, cn] = await timed(bus === "nats" ? natsClientLoop : redisClientLoop);
      record(`${bus} client`, cs, cn);
      const [rs, rn] = await timed(() => rivulet(bus === "nats" ? natsValues() : redisValues()));
      record(`${bus} rivulet`, rs, rn);
      (runs[`${bus} rivulet getBatch`] ??= []).push(lastGetBatchMs / 1000);
    }
  }
  console.log(`${fmt(lines.length)} events per run, ${ROUNDS} rounds (medians)\n`);
  console.log("| path | seconds (median) | events/s | every run (s) |\n|---|---|---|---|");
  // "<bus> rivulet getBatch" rows: the rivulet run's time inside the source's getBatch only.
  for (const [what, seconds] of Object.entries(runs)) {
    console.log(`| ${what} | ${median(seconds).toFixed(2)} | ${fmt(lines.length / median(seconds))} | ${seconds.map((s) => s.toFixed(2)).join(", ")} |`);
  }
  console.log("");
  for (const bus of BUSES) {
    const client = median(runs[`${bus} client`]!);
    console.log(`${bus}: rivulet (source + from_json + headline aggregation) / client loop (read + JSON.parse) = ${(client / median(runs[`${bus} rivulet`]!)).toFixed(2)}; `
      + `rivulet's getBatch alone / client loop = ${(client / median(runs[`${bus} rivulet getBatch`]!)).toFixed(2)}`);
  }
} finally {
  await jsm.streams.delete(STREAM).catch(() => false);
  await redis.del(KEY);
  await redis.quit();
  await nc.close();
  await spark.stop();
}
