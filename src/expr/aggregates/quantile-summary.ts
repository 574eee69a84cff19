/**
 * The Greenwald–Khanna quantile sketch as Spark's `QuantileSummaries` keeps it, so that
 * percentile_approx answers what Spark answers: values arrive in a head buffer; when it is
 * full they are sorted into the samples (value, g = rank gap to the previous sample,
 * delta = rank uncertainty), and once there are many samples neighbours whose combined
 * rank span stays under 2·ε·n are merged. Memory stays bounded (the head buffer plus
 * O(1/ε · log(ε·n)) samples) whatever the number of rows; a rank's answer is within ε·n.
 *
 * A summary is plain data (numbers and arrays) so that it is its own state-store value.
 */
export interface QuantileSummary {
  readonly relativeError: number;
  count: number;
  /** Samples in value order. */
  values: number[];
  g: number[];
  delta: number[];
  /** Values not yet sorted into the samples. */
  head: number[];
}

/** Spark's defaults: samples kept before a compression is tried, and the head buffer's size. */
const COMPRESS_THRESHOLD = 10000;
const HEAD_SIZE = 50000;

export function emptySummary(relativeError: number): QuantileSummary {
  return { relativeError, count: 0, values: [], g: [], delta: [], head: [] };
}

export function insertValue(s: QuantileSummary, x: number): QuantileSummary {
  s.head.push(x);
  if (s.head.length >= HEAD_SIZE) {
    flushHead(s);
    if (s.values.length >= COMPRESS_THRESHOLD) compressSamples(s);
  }
  return s;
}

/** Sorts the head buffer into the samples; a new sample's delta is 2·ε·n unless it is a new minimum or maximum. */
function flushHead(s: QuantileSummary): void {
  if (s.head.length === 0) return;
  const sorted = Float64Array.from(s.head).sort();
  const values: number[] = [], g: number[] = [], delta: number[] = [];
  let count = s.count;
  let k = 0;
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    while (k < s.values.length && s.values[k]! <= x) { values.push(s.values[k]!); g.push(s.g[k]!); delta.push(s.delta[k]!); k++; }
    count++;
    const extreme = values.length === 0 || (k === s.values.length && i === sorted.length - 1);
    values.push(x); g.push(1); delta.push(extreme ? 0 : Math.floor(2 * s.relativeError * count));
  }
  for (; k < s.values.length; k++) { values.push(s.values[k]!); g.push(s.g[k]!); delta.push(s.delta[k]!); }
  s.values = values; s.g = g; s.delta = delta; s.count = count; s.head = [];
}

/** Flushes the head and merges neighbouring samples whose span fits 2·ε·n (GK's COMPRESS; keeps the minimum and maximum). */
export function compressSamples(s: QuantileSummary): QuantileSummary {
  flushHead(s);
  compressWith(s, 2 * s.relativeError * s.count);
  return s;
}

function compressWith(s: QuantileSummary, threshold: number): void {
  const n = s.values.length;
  if (n === 0) return;
  // Walk from the maximum down, folding each sample into the one above it while the span allows.
  const rv: number[] = [], rg: number[] = [], rd: number[] = [];
  let hv = s.values[n - 1]!, hg = s.g[n - 1]!, hd = s.delta[n - 1]!;
  for (let i = n - 2; i >= 1; i--) {
    if (s.g[i]! + hg + hd < threshold) { hg += s.g[i]!; continue; }
    rv.push(hv); rg.push(hg); rd.push(hd);
    hv = s.values[i]!; hg = s.g[i]!; hd = s.delta[i]!;
  }
  rv.push(hv); rg.push(hg); rd.push(hd);
  if (n > 1 && s.values[0]! <= hv) { rv.push(s.values[0]!); rg.push(s.g[0]!); rd.push(s.delta[0]!); }
  s.values = rv.reverse(); s.g = rg.reverse(); s.delta = rd.reverse();
}

/** Merges `b` into `a` (both compressed first); a sample interleaved with the other side's gains its rank uncertainty. */
export function mergeSummaries(a: QuantileSummary, b: QuantileSummary): QuantileSummary {
  compressSamples(a);
  compressSamples(b);
  if (b.count === 0) return a;
  if (a.count === 0) return { ...b, values: [...b.values], g: [...b.g], delta: [...b.delta], head: [] };
  const error = Math.max(a.relativeError, b.relativeError);
  const extraA = Math.floor(2 * b.relativeError * b.count);
  const extraB = Math.floor(2 * a.relativeError * a.count);
  const values: number[] = [], g: number[] = [], delta: number[] = [];
  let i = 0, j = 0;
  while (i < a.values.length && j < b.values.length) {
    if (a.values[i]! < b.values[j]!) {
      values.push(a.values[i]!); g.push(a.g[i]!); delta.push(a.delta[i]! + (j > 0 ? extraA : 0)); i++;
    } else {
      values.push(b.values[j]!); g.push(b.g[j]!); delta.push(b.delta[j]! + (i > 0 ? extraB : 0)); j++;
    }
  }
  for (; i < a.values.length; i++) { values.push(a.values[i]!); g.push(a.g[i]!); delta.push(a.delta[i]!); }
  for (; j < b.values.length; j++) { values.push(b.values[j]!); g.push(b.g[j]!); delta.push(b.delta[j]!); }
  const merged: QuantileSummary = { relativeError: error, count: a.count + b.count, values, g, delta, head: [] };
  compressWith(merged, 2 * error * merged.count);
  return merged;
}

/** The approximate value at each percentile (null when the summary is empty), scanning the samples once. */
export function queryPercentiles(s: QuantileSummary, percentiles: readonly number[]): number[] | null {
  compressSamples(s);
  const n = s.values.length;
  if (n === 0) return null;
  let widest = -Infinity;
  for (let i = 0; i < n; i++) widest = Math.max(widest, s.g[i]! + s.delta[i]!);
  // Spark halves a long: integer division.
  const targetError = Math.trunc(widest / 2);
  const order = percentiles.map((p, pos) => [p, pos] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(percentiles.length);
  let index = 0, minRank = s.g[0]!;
  for (const [p, pos] of order) {
    if (p <= s.relativeError) { out[pos] = s.values[0]!; continue; }
    if (p >= 1 - s.relativeError) { out[pos] = s.values[n - 1]!; continue; }
    const rank = Math.ceil(p * s.count);
    let i = index, found: number | null = null;
    while (i < n - 1) {
      const maxRank = minRank + s.delta[i]!;
      if (maxRank - targetError <= rank && rank <= minRank + targetError) { found = s.values[i]!; break; }
      i++;
      minRank += s.g[i]!;
    }
    if (found === null) { index = n - 1; minRank = 0; out[pos] = s.values[n - 1]!; } else { index = i; out[pos] = found; }
  }
  return out;
}
