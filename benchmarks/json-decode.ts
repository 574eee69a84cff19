/**
 * The JSON-lines reader alone: the log files of the streaming jobs (already in memory, so
 * that the disk is not measured) decoded into column builders by rivulet's decoder, for
 * the columns the per-url job reads (time, url, bytes) and the headline job's (time,
 * action), against the loop a user would write by hand: decode each file's text, cut it
 * into lines, JSON.parse each and append the same columns (typed arrays, a dictionary for
 * the strings, Date.parse for the time). Rounds are interleaved (rivulet, hand loop, …);
 * the median CPU time of each counts. Prints ns per line and the ratio.
 *
 *   npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/json-decode.js [events] [rounds]
 *   (events 2000000 by default: benchmarks/data/logs-v2-2000000, made by the engine benchmarks)
 *
 * With BENCH_DEDUP_KEYS=4000000 (data made by `state-dedup.js run … 4000000`), a third job decodes the
 * dedup benchmark's files (id, time): a string column of unique values, one new string per row, which
 * the hand loop keeps in a plain array. BENCH_JOBS=dedup-ids (a comma-separated list) runs only those.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BatchAssembler } from "../src/connectors/sources/batch-assembler.ts";
import { JsonLinesDecoder } from "../src/connectors/sources/json-lines-decoder.ts";
import { MalformedRecords } from "../src/connectors/sources/parse-mode.ts";
import { parseSchema } from "../src/types/ddl.ts";
import { BENCH_DIR, logDataDir, prepareLogData } from "./log-data.ts";
import { median } from "./bench-stats.ts";

const EVENTS = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 5));
const DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT";
const DEDUP_DDL = "id STRING, time TIMESTAMP";
const DEDUP_KEYS = process.env.BENCH_DEDUP_KEYS;
/** Per job: the columns decoded, and the string column the hand loop keeps (a dictionary, or every value for "dedup-ids"). */
const JOBS = {
  "per-url": { columns: ["time", "url", "bytes"], key: "url" },
  headline: { columns: ["time", "action"], key: "action" },
  "dedup-ids": { columns: ["id", "time"], key: "id" },
} as const;
type Job = keyof typeof JOBS;

function readJsonFiles(dir: string): Buffer[] {
  return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => readFileSync(join(dir, f)));
}

function countLines(files: readonly Buffer[]): number {
  return files.reduce((n, b) => n + b.reduce((k, c) => k + (c === 10 ? 1 : 0), 0), 0);
}

await prepareLogData(EVENTS);
const logFiles = readJsonFiles(logDataDir(EVENTS));
const dedupDir = DEDUP_KEYS === undefined ? null : join(BENCH_DIR, "data", `dedup-v1-${DEDUP_KEYS}`);
if (dedupDir !== null && !existsSync(join(dedupDir, "_READY"))) {
  throw new Error(`${dedupDir} is not there: make it with node .bench-build/benchmarks/state-dedup.js run disk ${DEDUP_KEYS}`);
}
const dedupFiles = dedupDir === null ? [] : readJsonFiles(dedupDir);
const filesOf = (job: Job): Buffer[] => (job === "dedup-ids" ? dedupFiles : logFiles);
const ddlOf = (job: Job): string => (job === "dedup-ids" ? DEDUP_DDL : DDL);

function cpuSeconds(run: () => number): { seconds: number; check: number } {
  const t0 = process.cpuUsage();
  const check = run();
  const t = process.cpuUsage(t0);
  return { seconds: (t.user + t.system) / 1e6, check };
}

/** rivulet: one decoder for the whole read (as a worker decodes its files), batches of 256k rows. */
function rivulet(job: Job): number {
  const schema = parseSchema(ddlOf(job), { timestampType: "TIMESTAMP_LTZ" });
  const decoder = new JsonLinesDecoder(schema, [...JOBS[job].columns], { corruptRecordColumn: "_corrupt_record", malformed: new MalformedRecords("PERMISSIVE", "json") });
  const out = new BatchAssembler(decoder.outputSchema);
  for (const b of filesOf(job)) decoder.decodeLines(b, 0, b.length, "x", 1, out);
  const batches = out.finishColumns();
  const last = batches.at(-1)!, t = last.columns[decoder.outputSchema.fields.findIndex((f) => f.name === "time")]!;
  return batches.reduce((n, b) => n + b.numRows, 0) + (t.kind === "num" ? t.values[last.numRows - 1]! / 1e12 : NaN);
}

/** The hand-written loop: the same columns, as a user would build them without an engine. */
function handLoop(job: Job): number {
  const cap = linesOf.get(job)! + 16;
  const times = new Float64Array(cap);
  const codes = new Int32Array(cap);
  const bytes = new Float64Array(cap);
  const dict = new Map<string, number>();
  const unique = job === "dedup-ids";
  const values: string[] = [];
  const key = JOBS[job].key;
  let n = 0;
  for (const b of filesOf(job)) {
    const text = b.toString("utf8");
    let i = 0;
    while (i < text.length) {
      let nl = text.indexOf("\n", i);
      if (nl < 0) nl = text.length;
      if (nl > i) {
        const e = JSON.parse(text.slice(i, nl)) as Record<string, string | number>;
        times[n] = Date.parse(e.time as string) * 1000;
        const s = e[key] as string;
        if (unique) values.push(s);
        else {
          let code = dict.get(s);
          if (code === undefined) dict.set(s, (code = dict.size));
          codes[n] = code;
        }
        if (job === "per-url") bytes[n] = e.bytes as number;
        n++;
      }
      i = nl + 1;
    }
  }
  return n + times[n - 1]! / 1e12;
}

/** BENCH_HAND_LOOP=0: rivulet's rounds only (an A/B of two builds needs no hand loop); its fields are then null. */
const WITH_HAND_LOOP = process.env.BENCH_HAND_LOOP !== "0";
/** BENCH_JOBS=per-url,dedup-ids: only those (all that have data by default). */
const only = process.env.BENCH_JOBS?.split(",");
const jobs = (Object.keys(JOBS) as Job[]).filter((j) => (j !== "dedup-ids" || dedupDir !== null) && (only === undefined || only.includes(j)));
const linesOf = new Map(jobs.map((j) => [j, countLines(filesOf(j))]));
for (const job of jobs) {
  const lines = linesOf.get(job)!;
  // Warm-up: one untimed run of each.
  const first = rivulet(job);
  if (WITH_HAND_LOOP) handLoop(job);
  const ours: number[] = [], theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = cpuSeconds(() => rivulet(job));
    const b = WITH_HAND_LOOP ? cpuSeconds(() => handLoop(job)) : { seconds: NaN, check: first };
    if (Math.abs(a.check - b.check) > 1e-3) throw new Error(`${job}: rivulet and the hand loop disagree (${a.check} vs ${b.check})`);
    ours.push(a.seconds);
    theirs.push(b.seconds);
  }
  const o = median(ours), t = median(theirs);
  console.log(JSON.stringify({
    job, lines, rounds: ROUNDS,
    rivuletCpuSeconds: +o.toFixed(3), handLoopCpuSeconds: +t.toFixed(3),
    rivuletNsPerLine: +(o * 1e9 / lines).toFixed(1), handLoopNsPerLine: +(t * 1e9 / lines).toFixed(1),
    handLoopOverRivulet: +(t / o).toFixed(2),
  }));
}
