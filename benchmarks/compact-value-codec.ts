/**
 * The compact state-value codec (src/state/compact-value-codec.ts) alone: encoding into its
 * reused buffer and reading back the values operators keep most — the per-url aggregation's
 * `[[url, hour], [count, sum]]` (three arrays), a session's plain object, a stream join's
 * index entry (arrays of 16 keys and times) — against another build's codec in the same run
 * (interleaved rounds, medians, ratios this/other), and what the guard against arrays with
 * holes or extra properties (`Object.keys` per array) costs on the same arrays.
 *
 *   npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/compact-value-codec.js [other build's .bench-build] [rounds]
 */
import { CompactWriter, readCompact } from "../src/state/compact-value-codec.ts";
import { median } from "./bench-stats.ts";

type Codec = { CompactWriter: typeof CompactWriter; readCompact: typeof readCompact };

const OTHER = process.argv[2];
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 5));
const VALUES = 200_000;

const sets: Record<string, unknown[]> = {
  "aggregation [[url, hour], [count, sum]]": Array.from({ length: VALUES }, (_, i) => [[`https://example.com/section-${i % 97}/page-${i}.html`, 1_767_225_600_000_000 + (i % 48) * 3_600_000_000], [i % 1000, i * 1234]]),
  "session {key, state{start,end,events}, timeoutMs}": Array.from({ length: VALUES }, (_, i) => ({ key: `user-${i}`, state: { start: 1_767_225_600_000 + i, end: 1_767_225_600_000 + i + 5000, events: i % 50 }, timeoutMs: 1_767_227_400_000 + i })),
  "join entry {keys[16], times[16]}": Array.from({ length: VALUES / 8 }, (_, i) => ({ keys: Array.from({ length: 16 }, (_, k) => `k${i * 16 + k}`), times: Array.from({ length: 16 }, (_, k) => 1_767_225_600_000 + i + k) })),
};

function cpu(run: () => void): number {
  const t0 = process.cpuUsage();
  run();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

/** Encode (ms) and decode (ms) of every value of `values`, and the bytes written. */
function round(codec: Codec, values: unknown[]): { encodeMs: number; decodeMs: number; bytes: number } {
  const writer = new codec.CompactWriter();
  writer.buf = Buffer.allocUnsafe(64 << 20); // no doubling inside the timed loop
  const offsets = new Int32Array(values.length + 1);
  const encodeMs = cpu(() => {
    writer.pos = 0;
    for (let i = 0; i < values.length; i++) {
      if (!writer.write(values[i])) throw new Error("no compact form");
      offsets[i + 1] = writer.pos;
    }
  });
  const bytes = writer.buf.subarray(0, writer.pos);
  const end = { pos: 0 };
  let check = 0;
  const decodeMs = cpu(() => {
    for (let i = 0; i < values.length; i++) if (codec.readCompact(bytes, offsets[i]!, end) !== null) check++;
  });
  if (check !== values.length) throw new Error("decode");
  return { encodeMs, decodeMs, bytes: bytes.length };
}

/** The guard alone: Object.keys(a).length === a.length for every array of every value. */
function guardMs(values: unknown[]): number {
  const arrays: unknown[][] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) { arrays.push(v); v.forEach(collect); } else if (v !== null && typeof v === "object") Object.values(v).forEach(collect);
  };
  values.forEach(collect);
  let plain = 0;
  const ms = cpu(() => { for (const a of arrays) if (Object.keys(a).length === a.length) plain++; });
  if (plain !== arrays.length) throw new Error("guard");
  return ms;
}

const mine: Codec = { CompactWriter, readCompact };
const other: Codec | null = OTHER === undefined ? null : await import(`${OTHER}/src/state/compact-value-codec.js`) as Codec;

for (const [name, values] of Object.entries(sets)) {
  const runs = { encode: [] as number[], decode: [] as number[], otherEncode: [] as number[], otherDecode: [] as number[], guard: [] as number[] };
  let bytes = 0, otherBytes = 0;
  // A round of each first, not counted; then rounds in alternating order (which one runs first changes).
  round(mine, values);
  if (other !== null) round(other, values);
  for (let r = 0; r < ROUNDS; r++) {
    const order = other === null ? [mine] : r % 2 === 0 ? [mine, other] : [other, mine];
    for (const codec of order) {
      const m = round(codec, values);
      if (codec === mine) { runs.encode.push(m.encodeMs); runs.decode.push(m.decodeMs); bytes = m.bytes; }
      else { runs.otherEncode.push(m.encodeMs); runs.otherDecode.push(m.decodeMs); otherBytes = m.bytes; }
    }
    runs.guard.push(guardMs(values));
  }
  const ns = (ms: number): number => Math.round((ms * 1e6) / values.length);
  const result: Record<string, unknown> = {
    values: name, count: values.length, rounds: ROUNDS, bytes,
    encodeNsPerValue: ns(median(runs.encode)), decodeNsPerValue: ns(median(runs.decode)),
    guardNsPerValue: ns(median(runs.guard)), guardShareOfEncode: +(median(runs.guard) / median(runs.encode)).toFixed(2),
  };
  if (other !== null) {
    Object.assign(result, {
      otherBytes, otherEncodeNsPerValue: ns(median(runs.otherEncode)), otherDecodeNsPerValue: ns(median(runs.otherDecode)),
      encodeRatio: +(median(runs.encode) / median(runs.otherEncode)).toFixed(3), decodeRatio: +(median(runs.decode) / median(runs.otherDecode)).toFixed(3),
    });
  }
  console.log(JSON.stringify(result));
}
