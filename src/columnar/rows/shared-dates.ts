/**
 * One Date per distinct instant among the rows one collect() returns, where a column
 * repeats its instants (a window's bounds, a date per day): a million rows of 30 distinct
 * hours then hold 30 Dates, not two million. `new Date` is a call into V8's runtime
 * (~150 ns) and every Date survives as long as its rows, so for large results the Dates
 * were most of the collector's work and half of collect()'s time.
 *
 * A Date shared by rows is a value: it refuses to change (its set… methods throw), so
 * that changing it through one row cannot silently change the others. It is otherwise
 * an ordinary Date (instanceof Date, same printing, getTime, JSON).
 */
const SHARED_DATE_MESSAGE =
  "This Date is shared by the rows of one collect() that hold the same instant, so it cannot be changed in place; copy it first: new Date(date)";

const sharedDatePrototype: Date = Object.create(Date.prototype) as Date;
for (const name of Object.getOwnPropertyNames(Date.prototype)) {
  if (!name.startsWith("set")) continue;
  Object.defineProperty(sharedDatePrototype, name, {
    value: function refuseChange(): never {
      throw new TypeError(SHARED_DATE_MESSAGE);
    },
    writable: true,
    configurable: true,
  });
}

/** Values sampled to decide whether a column repeats its instants enough to share Dates. */
const SAMPLE = 1024;

/**
 * Whether a column's instants repeat: at most a quarter of the sampled values distinct.
 * Sampled once per column, so that every Date of a column is alike (all shared, or none).
 */
export function repeatsInstants(values: Float64Array | Int32Array, n: number, valid: Uint8Array | null): boolean {
  return repeatsInstantsAcross([{ values, valid, length: n }]);
}

/** repeatsInstants of the column that `parts` make one after the other (the same rows sampled). */
export function repeatsInstantsAcross(parts: readonly { values: Float64Array | Int32Array; valid: Uint8Array | null; length: number }[]): boolean {
  const n = parts.reduce((t, p) => t + p.length, 0);
  const m = Math.min(n, SAMPLE);
  if (m < 8) return false;
  const step = Math.max(1, Math.floor(n / m));
  const seen = new Set<number>();
  let sampled = 0;
  let part = 0;
  let start = 0;
  for (let i = 0; i < n && sampled < m; i += step, sampled++) {
    while (i >= start + parts[part]!.length) start += parts[part++]!.length;
    const { values, valid } = parts[part]!;
    const j = i - start;
    if (valid === null || valid[j] !== 0) seen.add(values[j]!);
  }
  return seen.size * 4 <= sampled;
}

/** Reads the Date of row i through `make`, one shared, unchangeable Date per distinct value. */
export function sharedDateReader(values: Float64Array | Int32Array, make: (value: number) => Date): (i: number) => Date {
  const dateOf = sharedDateMaker(make);
  let lastValue = Number.NaN;
  let last: Date | null = null;
  return (i) => {
    const x = values[i]!;
    if (x === lastValue) return last!;
    lastValue = x;
    last = dateOf(x);
    return last;
  };
}

/** The Date of a value through `make`: one shared, unchangeable Date per distinct value. */
export function sharedDateMaker(make: (value: number) => Date): (value: number) => Date {
  const dates = new Map<number, Date>();
  return (x) => {
    let d = dates.get(x);
    if (d === undefined) {
      d = make(x);
      Object.setPrototypeOf(d, sharedDatePrototype);
      dates.set(x, d);
    }
    return d;
  };
}
