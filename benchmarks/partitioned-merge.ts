/**
 * What a hash-partitioned merge would save the main thread (issue 18): the per-url job's
 * partial groups of each file (url, hour → count, sum(bytes)), merged (A) by one table on
 * this thread, as WorkerPartialAggregation merges today, or (B) split in two by key hash,
 * this thread merging partition 0 while a worker thread merges partition 1
 * (src/physical/parallel/). Then (C): the worker's partition sent back as output columns,
 * as complete mode would need each batch. The files' partials are built first, untimed
 * (lines parsed with JSON.parse), so only the merges are measured.
 *
 *   npx tsc -p tsconfig.bench.json
 *   BENCH_URLS=40000 node .bench-build/benchmarks/partitioned-merge.js [files] [rounds]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { WorkerPool } from "../src/common/worker-pool.ts";
import { rowsToBatch } from "../src/columnar/values.ts";
import { requireAggregate, type GroupsAccumulator } from "../src/expr/aggregates/index.ts";
import { compileExpression } from "../src/expr/compile.ts";
import { AggregateCall, ColumnRef, Literal } from "../src/expr/expression.ts";
import { resolveExpression } from "../src/expr/resolve.ts";
import { scopeOf } from "../src/expr/scope.ts";
import { exportGroups, exportGroupsByPartition, type PartialGroups } from "../src/physical/aggregate/partial-groups.ts";
import { GroupTable } from "../src/physical/group-table/group-table.ts";
import { PartitionGroups } from "../src/physical/parallel/partition-groups.ts";
import { RemotePartition } from "../src/physical/parallel/remote-partition.ts";
import { parseSchema } from "../src/types/ddl.ts";
import { logDataDir } from "./log-data.ts";

const files = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 3);
const schema = parseSchema("url STRING, hour BIGINT, bytes BIGINT");
const scope = scopeOf(schema);
const groupings = [ColumnRef.create("url", null), ColumnRef.create("hour", null)].map((e) => resolveExpression(e, scope));
const aggregates = [AggregateCall.create("count", [Literal.create(1, null)], false), AggregateCall.create("sum", [ColumnRef.create("bytes", null)], false)]
  .map((c) => resolveExpression(c, scope, { allowAggregates: true }) as AggregateCall);
const spec = { groupings, aggregates };

/** One file's map side: its partial groups, whole and split in two by key hash. */
function partialsOf(path: string): { whole: PartialGroups; split: PartialGroups[]; rows: number } {
  const rows = readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0).map((l) => {
    const e = JSON.parse(l) as { time: string; url: string; bytes: number };
    return { url: e.url, hour: Math.floor(Date.parse(e.time) / 3_600_000), bytes: e.bytes };
  });
  const accumulators: GroupsAccumulator[] = aggregates.map((a) => requireAggregate(a.name).createAccumulator(a));
  let room = 0;
  const table = new GroupTable(groupings.map((g) => g.dataType!), (n) => {
    if (n <= room) return;
    room = Math.max(n, room * 2, 16);
    for (const a of accumulators) a.resize(room);
  });
  const slots = Int32Array.from(rows, (r) => table.findOrInsertValues([r.url, r.hour]).slot);
  const batch = rowsToBatch(schema, rows, "bench");
  aggregates.forEach((c, k) => accumulators[k]!.update(c.args.map((a) => compileExpression(a)(batch, { batchTimestampMicros: 0, timeZoneId: "UTC" })), slots, rows.length));
  return { whole: exportGroups(table, accumulators), split: exportGroupsByPartition(table, accumulators, 2), rows: rows.length };
}

/** CPU seconds of this (the main) thread so far (Linux /proc). */
function mainThreadCpu(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const dir = logDataDir(2_000_000);
const paths = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().slice(0, files).map((f) => join(dir, f));
const partials = paths.map(partialsOf);
const groupsPerFile = partials.reduce((n, p) => n + p.whole.count, 0) / partials.length;
const rowsPerFile = partials.reduce((n, p) => n + p.rows, 0) / partials.length;
const pool = new WorkerPool(1, import.meta.url.endsWith(".ts"));

for (let r = 0; r < rounds; r++) {
  // A: one table on this thread merges every file's whole partial, in file order.
  const cpuA = mainThreadCpu(), tA = performance.now();
  const one = new PartitionGroups(spec);
  for (const p of partials) one.merge(p.whole);
  const wallA = performance.now() - tA, mainA = mainThreadCpu() - cpuA;

  // B: partition 1 sent to the worker (it merges as they come) while this thread merges partition 0.
  const there = await RemotePartition.open(pool, 0, spec);
  const cpuB = mainThreadCpu(), tB = performance.now();
  const here = new PartitionGroups(spec);
  const sent: Promise<number>[] = [];
  for (const p of partials) {
    sent.push(there.merge([p.split[1]!]));
    here.merge(p.split[0]!);
  }
  const hereDone = performance.now() - tB;
  const theirs = (await Promise.all(sent)).at(-1)!;
  const wallB = performance.now() - tB, mainB = mainThreadCpu() - cpuB;

  // C: the worker's partition back as output columns (complete mode's output of its groups).
  const tC = performance.now();
  const output = await there.output("all");
  const wallC = performance.now() - tC;
  await there.close();
  if (here.size + theirs !== one.size || output.count !== theirs) throw new Error(`groups differ: ${here.size} + ${theirs} vs ${one.size}`);
  console.log(JSON.stringify({
    urls: Number(process.env.BENCH_URLS ?? 2000), files, rowsPerFile, groupsPerFile: Math.round(groupsPerFile), groups: one.size, round: r,
    oneTable: { wallMs: Math.round(wallA), mainCpuS: mainA },
    twoPartitions: { wallMs: Math.round(wallB), mainCpuS: mainB, mainMergeDoneMs: Math.round(hereDone) },
    workerOutputAllMs: Math.round(wallC),
  }));
}
await pool.close();
