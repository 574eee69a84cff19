import { compareStrings } from "../../columnar/string-order.ts";
import type { StructType } from "../../types/data-types.ts";
import type { SourceComparison, SourceLiteral, SourcePredicate } from "../source.ts";

/** What a decoder's scratch slot holds for the line being decoded (the JSON lines decoder's codes). */
export const SLOT_UNSET = 0, SLOT_NUM = 1, SLOT_STR = 2, SLOT_OBJ = 3, SLOT_NULL = 4;

/**
 * Where a decoder keeps one line's values before it appends them as a row: per output
 * slot a state code, a number (numbers, timestamps µs, dates, booleans as 0/1) and a string.
 */
export interface RowScratch {
  readonly state: Uint8Array;
  readonly nums: Float64Array;
  readonly strs: string[];
}

type Test = () => boolean;

const NUMERIC = new Set(["int", "long", "double", "timestamp", "date", "boolean"]);

/**
 * Pushed predicates compiled against a decoder's scratch slots, so that a line can be
 * rejected as soon as a tested field is decoded — before any of it reaches the builders.
 * Predicates this reader cannot test (a column it does not read, the corrupt-record
 * column, a nested type, a literal of another type) are left to the Filter above.
 *
 * Tests keep a row whenever the engine's Filter might: a NaN value is never rejected.
 */
export class RowFilter {
  /** 1 for the slots that have tests. */
  readonly tested: Uint8Array;
  readonly #bySlot: Test[][];
  readonly #all: Test[];

  private constructor(width: number, tests: readonly (readonly [number, Test])[]) {
    this.tested = new Uint8Array(width);
    this.#bySlot = Array.from({ length: width }, () => []);
    for (const [slot, t] of tests) {
      this.tested[slot] = 1;
      this.#bySlot[slot]!.push(t);
    }
    this.#all = tests.map(([, t]) => t);
  }

  /** The filter for `predicates` over rows of `schema` held in `scratch`; null when none of them can be tested. */
  static create(schema: StructType, predicates: readonly SourcePredicate[] | undefined, scratch: RowScratch, skipSlot = -1): RowFilter | null {
    if (predicates === undefined || predicates.length === 0) return null;
    const tests: [number, Test][] = [];
    for (const p of predicates) {
      const slot = slotOf(schema, p.column);
      if (slot < 0 || slot === skipSlot) continue;
      const t = compile(p, slot, schema.fields[slot]!.dataType.kind, scratch);
      if (t !== null) tests.push([slot, t]);
    }
    return tests.length === 0 ? null : new RowFilter(schema.fields.length, tests);
  }

  /** Whether the value now in `slot` passes that slot's tests. */
  passesSlot(slot: number): boolean {
    const tests = this.#bySlot[slot]!;
    for (let i = 0; i < tests.length; i++) if (!tests[i]!()) return false;
    return true;
  }

  /** Whether the whole row passes (slots never set count as null). */
  passesRow(): boolean {
    const tests = this.#all;
    for (let i = 0; i < tests.length; i++) if (!tests[i]!()) return false;
    return true;
  }
}

/** The column's slot: matched exactly, then case-insensitively (as ReadRequest.columns are). */
function slotOf(schema: StructType, column: string): number {
  const exact = schema.fields.findIndex((f) => f.name === column);
  if (exact >= 0) return exact;
  const lower = column.toLowerCase();
  return schema.fields.findIndex((f) => f.name.toLowerCase() === lower);
}

/** The literal as the slot holds it (booleans as 0/1), or null when it does not fit the column. */
function slotValue(v: SourceLiteral, numeric: boolean, kind: string): number | string | null {
  if (!numeric) return typeof v === "string" ? v : null;
  if (kind === "boolean") return typeof v === "boolean" ? (v ? 1 : 0) : null;
  return typeof v === "number" ? v : null;
}

function compile(p: SourcePredicate, k: number, kind: string, scratch: RowScratch): Test | null {
  const { state, nums, strs } = scratch;
  const numeric = NUMERIC.has(kind);
  switch (p.kind) {
    case "isNull": return () => state[k] === SLOT_UNSET || state[k] === SLOT_NULL;
    case "isNotNull": return () => state[k] !== SLOT_UNSET && state[k] !== SLOT_NULL;
    case "compare": {
      if (!numeric && kind !== "string") return null;
      const v = slotValue(p.value, numeric, kind);
      if (v === null) return null;
      if (typeof v === "string") {
        const cmp = p.op === "=" || p.op === "!=" ? compareTo(p.op, v) : stringCompareTo(p.op, v);
        return () => state[k] === SLOT_STR && cmp(strs[k]!);
      }
      const cmp = compareTo(p.op, v);
      // Booleans are held as objects but also as 0/1 in nums.
      return () => {
        const s = state[k];
        if (s !== SLOT_NUM && s !== SLOT_OBJ) return false;
        const x = nums[k]!;
        return x !== x || cmp(x);
      };
    }
    case "in": {
      if (!numeric && kind !== "string") return null;
      const values = p.values.map((v) => slotValue(v, numeric, kind));
      if (values.some((v) => v === null)) return null;
      if (!numeric) {
        const set = new Set(values as string[]);
        return () => state[k] === SLOT_STR && set.has(strs[k]!);
      }
      const set = new Set(values as number[]);
      return () => {
        const s = state[k];
        if (s !== SLOT_NUM && s !== SLOT_OBJ) return false;
        const x = nums[k]!;
        return x !== x || set.has(x);
      };
    }
    case "startsWith": {
      if (kind !== "string") return null;
      const prefix = p.prefix;
      return () => state[k] === SLOT_STR && strs[k]!.startsWith(prefix);
    }
  }
}

/** `x op v` for a string x in code-point order, as the engine's comparison kernels (Spark's UTF8String). */
function stringCompareTo(op: SourceComparison, v: string): (x: string) => boolean {
  switch (op) {
    case "=": return (x) => x === v;
    case "!=": return (x) => x !== v;
    case "<": return (x) => compareStrings(x, v) < 0;
    case "<=": return (x) => compareStrings(x, v) <= 0;
    case ">": return (x) => compareStrings(x, v) > 0;
    case ">=": return (x) => compareStrings(x, v) >= 0;
  }
}

/** `x op v` for a non-null number x (JS ordering, as the engine's comparison kernels). */
function compareTo<T extends number | string>(op: SourceComparison, v: T): (x: T) => boolean {
  switch (op) {
    case "=": return (x) => x === v;
    case "!=": return (x) => x !== v;
    case "<": return (x) => x < v;
    case "<=": return (x) => x <= v;
    case ">": return (x) => x > v;
    case ">=": return (x) => x >= v;
  }
}
