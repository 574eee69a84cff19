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
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BatchAssembler } from "../src/connectors/sources/batch-assembler.ts";
import { JsonLinesDecoder } from "../src/connectors/sources/json-lines-decoder.ts";
import { MalformedRecords } from "../src/connectors/sources/parse-mode.ts";
import { parseSchema } from "../src/types/ddl.ts";
import { logDataDir, prepareLogData } from "./log-data.ts";
import { median } from "./bench-stats.ts";

const EVENTS = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 5));
const DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT";
const JOBS = { "per-url": ["time", "url", "bytes"], headline: ["time", "action"] } as const;
type Job = keyof typeof JOBS;

await prepareLogData(EVENTS);
const dir = logDataDir(EVENTS);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => readFileSync(join(dir, f)));
const lines = files.reduce((n, b) => n + b.reduce((k, c) => k + (c === 10 ? 1 : 0), 0), 0);

function cpuSeconds(run: () => number): { seconds: number; check: number } {
  const t0 = process.cpuUsage();
  const check = run();
  const t = process.cpuUsage(t0);
  return { seconds: (t.user + t.system) / 1e6, check };
}

/** rivulet: one decoder for the whole read (as a worker decodes its files), batches of 256k rows. */
function rivulet(job: Job): number {
  const schema = parseSchema(DDL, { timestampType: "TIMESTAMP_LTZ" });
  const decoder = new JsonLinesDecoder(schema, [...JOBS[job]], { corruptRecordColumn: "_corrupt_record", malformed: new MalformedRecords("PERMISSIVE", "json") });
  const out = new BatchAssembler(decoder.outputSchema);
  for (const b of files) decoder.decodeLines(b, 0, b.length, "x", 1, out);
  const batches = out.finishColumns();
  const last = batches.at(-1)!, t = last.columns[0]!;
  return batches.reduce((n, b) => n + b.numRows, 0) + (t.kind === "num" ? t.values[last.numRows - 1]! / 1e12 : NaN);
}

/** The hand-written loop: the same columns, as a user would build them without an engine. */
function handLoop(job: Job): number {
  const cap = lines + 16;
  const times = new Float64Array(cap);
  const codes = new Int32Array(cap);
  const bytes = new Float64Array(cap);
  const dict = new Map<string, number>();
  const key = job === "per-url" ? "url" : "action";
  let n = 0;
  for (const b of files) {
    const text = b.toString("utf8");
    let i = 0;
    while (i < text.length) {
      let nl = text.indexOf("\n", i);
      if (nl < 0) nl = text.length;
      if (nl > i) {
        const e = JSON.parse(text.slice(i, nl)) as Record<string, string | number>;
        times[n] = Date.parse(e.time as string) * 1000;
        const s = e[key] as string;
        let code = dict.get(s);
        if (code === undefined) dict.set(s, (code = dict.size));
        codes[n] = code;
        if (job === "per-url") bytes[n] = e.bytes as number;
        n++;
      }
      i = nl + 1;
    }
  }
  return n + times[n - 1]! / 1e12;
}

for (const job of Object.keys(JOBS) as Job[]) {
  // Warm-up: one untimed run of each.
  rivulet(job);
  handLoop(job);
  const ours: number[] = [], theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = cpuSeconds(() => rivulet(job));
    const b = cpuSeconds(() => handLoop(job));
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
