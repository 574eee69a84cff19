import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import type { DataType, StructType } from "../../types/data-types.ts";

/**
 * One column of a join side's buffered rows, addressed by row slot: typed arrays indexed by
 * slot (slots are reused once their row is evicted), so buffering a batch copies its
 * vectors' values and pairing gathers them back — no object per row.
 */
export interface SlotColumn {
  /** Makes room for slots below `capacity`. */
  resize(capacity: number): void;
  /** Writes row `rows[j]` of `vec` into slot `slots[j]`, for j < m. */
  write(vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void;
  /** The values of slots[0 … m) as a vector. */
  gather(slots: ArrayLike<number>, m: number): Vec;
  /** Drops dictionary entries no live slot uses (after evictions), when most are garbage. */
  compact(live: ArrayLike<number>, m: number): void;
}

const grown = <T extends Float64Array | Int32Array | Uint8Array | BigInt64Array>(a: T, capacity: number): T => {
  if (a.length >= capacity) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(capacity, a.length * 2));
  (b as { set(x: T): void }).set(a);
  return b;
};

function mismatch(type: DataType, vec: Vec): never {
  throw new InternalError(`join state column of type ${type.kind} got a ${vec.kind} vector`);
}

/** Validity of the gathered slots, or null when none is null. */
function gatherValid(valid: Uint8Array, slots: ArrayLike<number>, m: number): Uint8Array | null {
  let nulls = false;
  for (let j = 0; j < m; j++) if (valid[slots[j]!] === 0) { nulls = true; break; }
  if (!nulls) return null;
  const out = new Uint8Array(m);
  for (let j = 0; j < m; j++) out[j] = valid[slots[j]!]!;
  return out;
}

function writeValid(valid: Uint8Array, vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void {
  const src = vec.valid;
  if (src === null) for (let j = 0; j < m; j++) valid[slots[j]!] = 1;
  else for (let j = 0; j < m; j++) valid[slots[j]!] = src[rows[j]!]!;
}

/** Numbers (every integral, floating and temporal type) as float64; longs beyond ±2^53 keep their exact values too. */
class NumColumn implements SlotColumn {
  values = new Float64Array(16);
  valid = new Uint8Array(16);
  exact: BigInt64Array | null = null;
  constructor(readonly type: DataType) {}

  resize(capacity: number): void {
    this.values = grown(this.values, capacity);
    this.valid = grown(this.valid, capacity);
    if (this.exact !== null) this.exact = grown(this.exact, this.values.length);
  }

  write(vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void {
    if (vec.kind !== "num") mismatch(this.type, vec);
    const src = vec.values, dst = this.values;
    for (let j = 0; j < m; j++) dst[slots[j]!] = src[rows[j]!]!;
    writeValid(this.valid, vec, rows, slots, m);
    if (vec.exact !== undefined && this.exact === null) {
      // From now on the exact values are the truth for every slot (vector.ts): fill them in.
      this.exact = new BigInt64Array(this.values.length);
      for (let s = 0; s < this.values.length; s++) { const x = this.values[s]!; this.exact[s] = Number.isSafeInteger(x) ? BigInt(x) : 0n; }
    }
    if (this.exact !== null) {
      const exact = this.exact;
      if (vec.exact !== undefined) for (let j = 0; j < m; j++) exact[slots[j]!] = vec.exact[rows[j]!]!;
      else for (let j = 0; j < m; j++) { const x = src[rows[j]!]!; exact[slots[j]!] = Number.isSafeInteger(x) ? BigInt(x) : 0n; }
    }
  }

  gather(slots: ArrayLike<number>, m: number): Vec {
    const values = new Float64Array(m), src = this.values;
    for (let j = 0; j < m; j++) values[j] = src[slots[j]!]!;
    const valid = gatherValid(this.valid, slots, m);
    if (this.exact === null) return { kind: "num", type: this.type, length: m, values, valid };
    const exact = new BigInt64Array(m);
    for (let j = 0; j < m; j++) exact[j] = this.exact[slots[j]!]!;
    return { kind: "num", type: this.type, length: m, values, exact, valid };
  }

  compact(): void {}
}

class BoolColumn implements SlotColumn {
  values = new Uint8Array(16);
  valid = new Uint8Array(16);
  constructor(readonly type: DataType) {}

  resize(capacity: number): void {
    this.values = grown(this.values, capacity);
    this.valid = grown(this.valid, capacity);
  }

  write(vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void {
    if (vec.kind !== "bool") mismatch(this.type, vec);
    for (let j = 0; j < m; j++) this.values[slots[j]!] = vec.values[rows[j]!]!;
    writeValid(this.valid, vec, rows, slots, m);
  }

  gather(slots: ArrayLike<number>, m: number): Vec {
    const values = new Uint8Array(m);
    for (let j = 0; j < m; j++) values[j] = this.values[slots[j]!]!;
    return { kind: "bool", type: this.type, length: m, values, valid: gatherValid(this.valid, slots, m) };
  }

  compact(): void {}
}

/** Strings as codes into the column's own dictionary (a batch's codes are mapped once per distinct code). */
class StrColumn implements SlotColumn {
  codes = new Int32Array(16);
  valid = new Uint8Array(16);
  strings: string[] = [];
  #code = new Map<string, number>();
  constructor(readonly type: DataType) {}

  resize(capacity: number): void {
    this.codes = grown(this.codes, capacity);
    this.valid = grown(this.valid, capacity);
  }

  #intern(s: string): number {
    let c = this.#code.get(s);
    if (c === undefined) { c = this.strings.length; this.strings.push(s); this.#code.set(s, c); }
    return c;
  }

  write(vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void {
    if (vec.kind !== "str") mismatch(this.type, vec);
    const mine = new Int32Array(vec.dict.length).fill(-1);
    const valid = vec.valid;
    for (let j = 0; j < m; j++) {
      const r = rows[j]!;
      if (valid !== null && valid[r] === 0) continue;
      const c = vec.codes[r]!;
      let g = mine[c]!;
      if (g < 0) { g = this.#intern(vec.dict[c]!); mine[c] = g; }
      this.codes[slots[j]!] = g;
    }
    writeValid(this.valid, vec, rows, slots, m);
  }

  gather(slots: ArrayLike<number>, m: number): Vec {
    const codes = new Int32Array(m);
    const valid = gatherValid(this.valid, slots, m);
    if (m * 4 >= this.strings.length) {
      // The dictionary only grows (compaction makes a new one): the vector may share it.
      for (let j = 0; j < m; j++) codes[j] = this.codes[slots[j]!]!;
      return { kind: "str", type: this.type, length: m, codes, dict: this.strings, valid };
    }
    const dict: string[] = [];
    const codeOf = new Map<number, number>();
    for (let j = 0; j < m; j++) {
      if (valid !== null && valid[j] === 0) continue;
      const w = this.codes[slots[j]!]!;
      let c = codeOf.get(w);
      if (c === undefined) { c = dict.length; dict.push(this.strings[w]!); codeOf.set(w, c); }
      codes[j] = c;
    }
    return { kind: "str", type: this.type, length: m, codes, dict, valid };
  }

  compact(live: ArrayLike<number>, m: number): void {
    if (this.strings.length < 1024 || this.strings.length < 2 * m) return;
    const strings: string[] = [];
    const code = new Map<string, number>();
    const renumber = new Int32Array(this.strings.length).fill(-1);
    for (let j = 0; j < m; j++) {
      const s = live[j]!;
      if (this.valid[s] === 0) continue;
      const w = this.codes[s]!;
      if (renumber[w]! < 0) { renumber[w] = strings.length; code.set(this.strings[w]!, strings.length); strings.push(this.strings[w]!); }
      this.codes[s] = renumber[w]!;
    }
    this.strings = strings;
    this.#code = code;
  }
}

class StructColumn implements SlotColumn {
  valid = new Uint8Array(16);
  readonly children: SlotColumn[];
  constructor(readonly type: StructType) {
    this.children = type.fields.map((f) => slotColumn(f.dataType));
  }

  resize(capacity: number): void {
    this.valid = grown(this.valid, capacity);
    for (const c of this.children) c.resize(capacity);
  }

  write(vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void {
    if (vec.kind !== "struct") mismatch(this.type, vec);
    this.children.forEach((c, k) => c.write(vec.children[k]!, rows, slots, m));
    writeValid(this.valid, vec, rows, slots, m);
  }

  gather(slots: ArrayLike<number>, m: number): Vec {
    return { kind: "struct", type: this.type, length: m, children: this.children.map((c) => c.gather(slots, m)), valid: gatherValid(this.valid, slots, m) };
  }

  compact(live: ArrayLike<number>, m: number): void {
    for (const c of this.children) c.compact(live, m);
  }
}

/** Any other type (decimals, binary, arrays, maps, intervals): the internal values themselves. */
class ValueColumn implements SlotColumn {
  values: unknown[] = [];
  constructor(readonly type: DataType) {}

  resize(): void {}

  write(vec: Vec, rows: ArrayLike<number>, slots: ArrayLike<number>, m: number): void {
    for (let j = 0; j < m; j++) this.values[slots[j]!] = valueAt(vec, rows[j]!);
  }

  gather(slots: ArrayLike<number>, m: number): Vec {
    const b = new VecBuilder(this.type, m);
    for (let j = 0; j < m; j++) b.append(this.values[slots[j]!] ?? null);
    return b.finish();
  }

  compact(): void {}
}

export function slotColumn(type: DataType): SlotColumn {
  switch (type.kind) {
    case "byte": case "short": case "int": case "long": case "float": case "double":
    case "date": case "timestamp": case "timestamp_ntz": case "interval_dt": case "interval_ym":
      return new NumColumn(type);
    case "boolean": return new BoolColumn(type);
    case "string": return new StrColumn(type);
    case "struct": return new StructColumn(type);
    default: return new ValueColumn(type);
  }
}
