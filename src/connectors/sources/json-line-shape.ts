import type { ZoneRules } from "../../common/time-zone.ts";
import { daysFromCivil } from "../../columnar/temporal.ts";
import type { VecBuilder } from "../../columnar/vec-builder.ts";
import { finishHash, FRESH, hashBytes, type ByteInterner } from "./byte-interner.ts";
import { timestampMicrosAt } from "./iso-timestamp.ts";
import { EXACT_POWERS_OF_TEN } from "./json-cursor.ts";
import { SLOT_NULL, SLOT_NUM, SLOT_OBJ, SLOT_STR, SLOT_UNSET } from "./row-filter.ts";

/**
 * The fast path of the JSON-lines decoder: a line decoder compiled for one *shape* — the
 * exact bytes between values (braces, separators, whitespace, field names) of a line the
 * general decoder has just read — because machine-written JSON lines almost always repeat
 * one shape. The compiled function compares those bytes as constants (four at a time),
 * decodes each value by its column's type with its scan unrolled in place (strings
 * scanned and hashed a word at a time), and keeps the position in a local variable: about
 * twice as fast as the general decoder, whose cursor, name matching and per-value
 * dispatch it skips (the same idea as Spark's whole-stage code generation, applied to the scan).
 *
 * It accepts only a subset of what the general decoder does, and for that subset gives
 * the same values: anything else — another shape, escapes in a decoded string, a value of
 * another kind than its column's, a number it would not parse exactly, a nested value —
 * returns -1 and the general decoder reads the line (and reports it, if malformed). So
 * the compiled code never has to say what is wrong, only that it is not sure.
 */

/** How a field's value is read: skipped (validated only) or decoded as its column's type. */
export type ShapeRole = "skip" | "string" | "int" | "long" | "double" | "timestamp" | "boolean";

export interface ShapeField {
  /** The bytes from the end of the previous value (or the line's start) to this value's first byte. */
  readonly prefix: Uint8Array;
  /** The output slot the value goes to; -1 with role "skip". */
  readonly slot: number;
  readonly role: ShapeRole;
}

export interface LineShape {
  readonly fields: readonly ShapeField[];
  /** The bytes from the last value's end through the closing brace. */
  readonly suffix: Uint8Array;
  /** The number of output slots; those without a field are set null. */
  readonly width: number;
  /**
   * Whether the compiled code appends the row to the builders itself (values kept in
   * locals until the line is known good) rather than leaving it in the scratch row for
   * the decoder to test against pushed filters and commit.
   */
  readonly direct: boolean;
  /**
   * Direct only: whether string values are left pending (ShapeRow.pendingFrom) for the
   * decoder to look up a run at a time (json-pending-strings.ts), rather than looked up as
   * each line is read: worth it once an interner's table outgrows the first-level caches.
   */
  readonly deferStrings: boolean;
}

/**
 * The decoder's scratch row, as the general path fills it: per slot a state (SLOT_*) and
 * a number, a string with its interner id, or an object.
 */
export interface ShapeRow {
  readonly state: Uint8Array;
  readonly nums: Float64Array;
  readonly strs: string[];
  readonly ids: Int32Array;
  /** Per slot, the hashBytes of the string in strs when it came straight from the bytes (ids ≥ 0 or FRESH). */
  readonly hashes: Int32Array;
  readonly objs: unknown[];
  readonly interners: readonly ByteInterner[];
  /**
   * The string values of direct shapes' lines, not yet looked up: per string field q of the
   * shape (in field order) and pending line p, at q * PENDING_LINES + p, where its bytes
   * start (-1: null) and end and their hash (see PendingStrings).
   */
  readonly pendingFrom: Int32Array;
  readonly pendingEnd: Int32Array;
  readonly pendingHash: Int32Array;
  /** Lines whose string values are pending. */
  pendingCount: number;
}

/** Lines a direct shape's string values may wait before the decoder looks them up together (its run of lines). */
export const PENDING_LINES = 512;

/**
 * Decodes the line at `start` if it has the shape, into `row` or (direct) appended to
 * `builders`; returns where the line ends (its line break, or `end`), or -1 to leave the
 * line to the general decoder, with nothing appended. `dv` views the same bytes as `b`:
 * the compiled code reads four bytes at a time through it (little-endian words).
 */
export type ShapeDecoder = (b: Buffer, dv: DataView, start: number, end: number, row: ShapeRow, builders: readonly VecBuilder[], zone: ZoneRules) => number;

/** Compiled decoders by their source: files of one shape share one function, and V8 its optimized code. */
const compiled = new Map<string, ShapeDecoder>();
const MAX_COMPILED = 256;

/** The decoder for `shape`, or null where the runtime forbids generating code (`--disallow-code-generation-from-strings`). */
export function compileShape(shape: LineShape): ShapeDecoder | null {
  const source = shapeSource(shape);
  let fn = compiled.get(source);
  if (fn === undefined) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    // The source holds only numbers and fixed code (no text from the data): byte
    // constants, slot indices and the scans below.
    try {
      // The hour cache: the first 13 bytes of the last timestamp read ("yyyy-MM-ddTHH", as
      // three words and a byte) and its hour in microseconds; hp3 -1 matches no byte.
      // hourWarmup: timestamps whose hour is parsed even when cached (see MINUTE_MICROS).
      fn = new Function("timestampMicrosAt", "daysFromCivil", "EXACT", "MINUTE_MICROS", "hashBytes", "finishHash",
        `"use strict"; let hp0 = 0, hp1 = 0, hp2 = 0, hp3 = -1, hourMicros = 0, hourWarmup = ${HOUR_WARMUP_LINES}; return ${source};`)(
        timestampMicrosAt, daysFromCivil, EXACT_POWERS_OF_TEN, MINUTE_MICROS, hashBytes, finishHash) as ShapeDecoder;
    } catch (e) {
      if (e instanceof EvalError) return null;
      throw e;
    }
    compiled.set(source, fn);
  }
  return fn;
}

/**
 * Why the timestamp code avoids V8 deoptimizations: a deopt soon after decodeShape's first
 * optimization can leave it stuck (3-4x slower for most of a run) in on-stack-replacement
 * code, which V8 (Node 20) then enters from the interpreter on every call and does not
 * discard on its soft deopts. So minutes in microseconds come from a Float64Array: the
 * int32 product overflows from minute 36 (an "overflow" deopt when the lines seen before
 * optimizing had earlier minutes). And the hour is parsed on the first timestamps even
 * when cached, so that its code has type feedback before V8 optimizes (an "insufficient
 * type feedback" deopt at the first change of hour after, otherwise).
 */
const MINUTE_MICROS = Float64Array.from({ length: 60 }, (_, mi) => mi * 60_000_000);
const HOUR_WARMUP_LINES = 256;

const NUM = SLOT_NUM, STR = SLOT_STR, OBJ = SLOT_OBJ, NULL = SLOT_NULL, UNSET = SLOT_UNSET;

/** How compiled code keeps a decoded value: in the scratch row, or in locals of field `f` (direct). */
interface Store {
  num(f: number, slot: number): string;
  bool(f: number, slot: number, value: boolean): string;
  str(f: number, slot: number): string;
  null(f: number, slot: number): string;
}

const SCRATCH_STORE: Store = {
  num: (_, s) => `nums[${s}] = v; state[${s}] = ${NUM};`,
  bool: (_, s, value) => `nums[${s}] = ${value ? 1 : 0}; objs[${s}] = ${value}; state[${s}] = ${OBJ};`,
  str: (_, s) => `{ const interner = interners[${s}]; strs[${s}] = interner.intern(b, dv, from, i - 1, h); ids[${s}] = interner.lastId; hashes[${s}] = h; } state[${s}] = ${STR};`,
  null: (_, s) => `state[${s}] = ${NULL};`,
};

const LOCAL_STORE: Store = {
  num: (f) => `v${f} = v; n${f} = false;`,
  bool: (f, _, value) => `v${f} = ${value ? 1 : 0}; n${f} = false;`,
  str: (f, s) => `{ const interner = interners[${s}]; s${f} = interner.intern(b, dv, from, i - 1, h); id${f} = interner.lastId; hv${f} = h; } n${f} = false;`,
  null: (f) => `n${f} = true;`,
};

// Deferred strings: the bytes (from, end, hash) are kept for the decoder to look up with the run's others.
const DEFERRED_STORE: Store = { ...LOCAL_STORE, str: (f) => `v${f} = from; e${f} = i - 1; hv${f} = h; n${f} = false;` };

function shapeSource(shape: LineShape): string {
  const store = !shape.direct ? SCRATCH_STORE : shape.deferStrings ? DEFERRED_STORE : LOCAL_STORE;
  const lines: string[] = [
    "function decodeShape(b, dv, start, end, row, builders, zone) {",
    "const state = row.state, nums = row.nums, strs = row.strs, ids = row.ids, hashes = row.hashes, objs = row.objs, interners = row.interners;",
    "let i = start, x = 0, w = 0, m = 0, from = 0, h = 0, v = 0, digits = 0, frac = 0, neg = false, y = 0, mo = 0, d = 0, mi = 0, sec = 0, lineEnd = 0;",
  ];
  const fieldOfSlot = new Map<number, number>();
  shape.fields.forEach((f, k) => { if (f.slot >= 0) fieldOfSlot.set(f.slot, k); });
  if (shape.direct) {
    for (const k of fieldOfSlot.values()) lines.push(`let v${k} = 0, n${k} = true, s${k} = "", id${k} = -1, e${k} = 0, hv${k} = 0;`);
  } else {
    for (let k = 0; k < shape.width; k++) if (!fieldOfSlot.has(k)) lines.push(`state[${k}] = ${UNSET};`);
  }
  shape.fields.forEach((f, k) => {
    lines.push(expectBytes(f.prefix));
    lines.push(valueSource(f, k, store));
  });
  lines.push(expectBytes(shape.suffix));
  // The line ends here, at a line break (after an optional CR) or at the block's end; a
  // scan that ran past `end` read bytes that are not this line's.
  lines.push(
    "if (i > end) return -1;",
    "if (i === end) lineEnd = i;",
    "else { x = b[i]; if (x === 10) lineEnd = i; else if (x === 13 && (i + 1 === end || b[i + 1] === 10)) lineEnd = i + 1; else return -1; }",
  );
  if (shape.direct) {
    // Deferred string columns are appended by the decoder once the run's strings are looked
    // up (pendingStringSlots): their builders lag behind the others' by the pending lines.
    const pendingSlots = pendingStringSlots(shape);
    if (pendingSlots.length > 0) lines.push("const p = row.pendingCount, pendingFrom = row.pendingFrom, pendingEnd = row.pendingEnd, pendingHash = row.pendingHash;");
    for (let slot = 0; slot < shape.width; slot++) {
      const k = fieldOfSlot.get(slot);
      const out = `builders[${slot}]`;
      if (k === undefined) { lines.push(`${out}.appendNull();`); continue; }
      const role = shape.fields[k]!.role;
      if (role === "string" && shape.deferStrings) {
        const at = `${pendingSlots.indexOf(slot) * PENDING_LINES} + p`;
        lines.push(`if (n${k}) pendingFrom[${at}] = -1; else { pendingFrom[${at}] = v${k}; pendingEnd[${at}] = e${k}; pendingHash[${at}] = hv${k}; }`);
        continue;
      }
      const append = role === "string"
        ? `if (id${k} >= 0) ${out}.appendInterned(s${k}, id${k}, interners[${slot}].generation, hv${k}); else if (id${k} === ${FRESH}) ${out}.appendFresh(s${k}, hv${k}); else ${out}.appendString(s${k});`
        : role === "boolean" ? `${out}.append(v${k} === 1);` : `${out}.appendNumber(v${k});`;
      lines.push(`if (n${k}) ${out}.appendNull(); else { ${append} }`);
    }
    if (pendingSlots.length > 0) lines.push("row.pendingCount = p + 1;");
  }
  lines.push("return lineEnd;", "}");
  return lines.join("\n");
}

/** The slots of a direct shape's string fields, in field order: where their pending values go (ShapeRow.pendingFrom). */
export function pendingStringSlots(shape: LineShape): number[] {
  return shape.direct && shape.deferStrings ? shape.fields.filter((f) => f.role === "string").map((f) => f.slot) : [];
}

/**
 * Code that checks the bytes at `i` are `bytes` and moves past them: four at a time (one
 * little-endian word read and compare), after one bounds check for all of them.
 */
function expectBytes(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n === 0) return "";
  const tests = [`i + ${n} > end`];
  let j = 0;
  for (; j + 4 <= n; j += 4) tests.push(`dv.getInt32(i + ${j}, true) !== ${bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24)}`);
  if (j + 2 <= n) { tests.push(`dv.getUint16(i + ${j}, true) !== ${bytes[j]! | (bytes[j + 1]! << 8)}`); j += 2; }
  if (j < n) tests.push(`b[i + ${j}] !== ${bytes[j]}`);
  return `if (${tests.join(" || ")}) return -1;\ni += ${n};`;
}

/** Code that reads the value of field `f` at `i`, keeps it with `store` and leaves `i` after it. */
function valueSource(field: ShapeField, f: number, store: Store): string {
  const s = field.slot;
  const nullable = `if (x === 110 && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) { i += 4; ${store.null(f, s)} } else return -1;`;
  switch (field.role) {
    case "skip":
      return `x = b[i];\nif (x === 34) { ${SKIP_STRING} }\nelse if (x === 45 || (x >= 48 && x <= 57)) { ${SKIP_NUMBER} }\nelse { ${SKIP_LITERAL} }`;
    case "string":
      return `x = b[i];\nif (x === 34) { ${HASHED_STRING} ${store.str(f, s)} }\nelse ${nullable}`;
    case "timestamp":
      return `x = b[i];\nif (x === 34) { ${TIMESTAMP} ${store.num(f, s)} }\nelse ${nullable}`;
    case "int":
    case "long": {
      const range = field.role === "int" ? " || v < -2147483648 || v > 2147483647" : "";
      // `+ 0`: an integer has no negative zero (-0 is 0).
      return `x = b[i];\nif (x === 45 || (x >= 48 && x <= 57)) { ${INTEGER} if (x === 46 || x === 101 || x === 69 || digits > 15${range}) return -1; v += 0; ${store.num(f, s)} }\nelse ${nullable}`;
    }
    case "double":
      return `x = b[i];\nif (x === 45 || (x >= 48 && x <= 57)) { ${INTEGER} ${FRACTION} ${store.num(f, s)} }\nelse ${nullable}`;
    case "boolean":
      return `x = b[i];\nif (x === 116) { if (b[i + 1] !== 114 || b[i + 2] !== 117 || b[i + 3] !== 101) return -1; i += 4; ${store.bool(f, s, true)} }\n` +
        `else if (x === 102) { if (b[i + 1] !== 97 || b[i + 2] !== 108 || b[i + 3] !== 115 || b[i + 4] !== 101) return -1; i += 5; ${store.bool(f, s, false)} }\nelse ${nullable}`;
  }
}

// Moves `i` to the first byte (from `i`) that may end or escape a string: a quote, a
// backslash or a line break — or anything below '#' (0x23), which the byte loop then
// looks at — four bytes at a time (SWAR: a byte below 0x23, or equal to 0x5c, sets its
// high bit in m; the lowest set bit is exact). Stops where fewer than four bytes are
// left before `end`, for the byte loop to finish.
const TO_SPECIAL = "for (;;) { if (i + 4 > end) break; w = dv.getInt32(i, true); " +
  "m = ((((w - 0x23232323) | 0) & ~w) | ((((w ^ 0x5c5c5c5c) - 0x01010101) | 0) & ~(w ^ 0x5c5c5c5c))) & 0x80808080; " +
  "if (m !== 0) { i += (31 - Math.clz32(m & -m)) >> 3; break; } i += 4; } ";
// A string skipped: escapes are stepped over, not checked (as JsonCursor.scanString does).
const SKIP_STRING = `i++; for (;;) { ${TO_SPECIAL}if (i >= end) return -1; x = b[i]; if (x === 34) break; if (x === 10) return -1; if (x === 92) { if (b[i + 1] === 10) return -1; i += 2; } else i++; } i++;`;
// A string decoded: no escapes (the general decoder unescapes); `from` its first byte.
const PLAIN_STRING = `from = ++i; for (;;) { ${TO_SPECIAL}if (i >= end) return -1; x = b[i]; if (x === 34) break; if (x === 92 || x === 10) return -1; i++; } i++;`;
// PLAIN_STRING that also leaves the string's hashBytes in h: its words are hashed as the
// scan reads them, and the last 1–3 bytes from the word that holds the closing quote. A
// string the scan does not cross in one go (a byte below '#' in it, or near `end`) is
// hashed afresh once its end is found.
const HASHED_STRING = "from = ++i; h = 0; " +
  "for (;;) { if (i + 4 > end) { h = -1; break; } w = dv.getInt32(i, true); " +
  "m = ((((w - 0x23232323) | 0) & ~w) | ((((w ^ 0x5c5c5c5c) - 0x01010101) | 0) & ~(w ^ 0x5c5c5c5c))) & 0x80808080; " +
  "if (m === 0) { h = Math.imul(h ^ w, 0x85ebca6b); h ^= h >>> 15; i += 4; continue; } " +
  "x = (31 - Math.clz32(m & -m)) >> 3; i += x; " +
  "if (b[i] !== 34) { h = -1; break; } " +
  "if (x > 0) { h = Math.imul(h ^ (w & ((1 << (x << 3)) - 1)), 0x85ebca6b); h ^= h >>> 15; } " +
  "h = finishHash(h, i - from); break; } " +
  `if (h === -1) { i = from - 1; ${PLAIN_STRING} h = hashBytes(b, dv, from, i - 1); } else i++;`;
// A number skipped: JSON's number syntax, as JsonCursor.scanNumber accepts it.
const SKIP_NUMBER = "if (x === 45) x = b[++i]; if (x < 48 || x > 57) return -1; do x = b[++i]; while (x >= 48 && x <= 57); " +
  "if (x === 46) { x = b[++i]; if (x < 48 || x > 57) return -1; do x = b[++i]; while (x >= 48 && x <= 57); } " +
  "if (x === 101 || x === 69) { x = b[++i]; if (x === 43 || x === 45) x = b[++i]; if (x < 48 || x > 57) return -1; do x = b[++i]; while (x >= 48 && x <= 57); }";
const SKIP_LITERAL = "if (x === 116 && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) i += 4; " +
  "else if (x === 102 && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) i += 5; " +
  "else if (x === 110 && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) i += 4; else return -1;";
// An integer's digits into v (sign applied), `digits` counted, `x` the byte after them.
const INTEGER = "neg = x === 45; if (neg) x = b[++i]; if (x < 48 || x > 57) return -1; v = 0; digits = 0; " +
  "do { v = v * 10 + (x - 48); digits++; x = b[++i]; } while (x >= 48 && x <= 57); if (neg) v = -v;";
// A fraction after INTEGER: one exact division up to 15 digits, as JsonCursor.scanNumber; exponents go to the general path.
const FRACTION = "if (x === 46) { x = b[++i]; if (x < 48 || x > 57) return -1; frac = 0; " +
  "do { v = neg ? v * 10 - (x - 48) : v * 10 + (x - 48); frac++; x = b[++i]; } while (x >= 48 && x <= 57); " +
  "if (digits + frac > 15) return -1; v = v / EXACT[frac]; } " +
  "if (x === 101 || x === 69 || digits > 15) return -1;";
// A timestamp string at the quote at `i` into v, i after it: timestampMicrosAt's fast path
// in place and without scanning for the closing quote first (a call would box every value
// it returns). The hour ("yyyy-MM-ddTHH", 13 bytes) is parsed and validated only when its
// bytes differ from the last timestamp's: consecutive events mostly share it. Every byte
// it reads is a digit or a fixed separator, so it cannot run through a quote, escape or
// line break. Other forms: the string is scanned and goes through the call.
const D2 = (at: string): string => `(((b[${at}] - 48) >>> 0) <= 9 && ((b[${at} + 1] - 48) >>> 0) <= 9 ? (b[${at}] - 48) * 10 + b[${at} + 1] - 48 : -1000000)`;
const TIMESTAMP = "from = i + 1; v = -1; " +
  "if (from + 20 <= end) { " +
  "w = dv.getInt32(from, true); m = dv.getInt32(from + 4, true); x = dv.getInt32(from + 8, true); " +
  "if (w !== hp0 || m !== hp1 || x !== hp2 || b[from + 12] !== hp3 || hourWarmup > 0) { " +
  "if (hourWarmup > 0) hourWarmup--; hp3 = -1; " +
  "if (b[from + 4] === 45 && b[from + 7] === 45 && b[from + 10] === 84) { " +
  `y = ${D2("from")} * 100 + ${D2("from + 2")}; mo = ${D2("from + 5")}; d = ${D2("from + 8")}; h = ${D2("from + 11")}; ` +
  "if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h >= 0 && h <= 23) { " +
  "hourMicros = daysFromCivil(y, mo, d) * 86400000000 + h * 3600000000; hp0 = w; hp1 = m; hp2 = x; hp3 = b[from + 12]; } } } " +
  "if (hp3 >= 0 && b[from + 13] === 58 && b[from + 16] === 58) { " +
  `mi = ${D2("from + 14")}; sec = ${D2("from + 17")}; ` +
  "if (mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59) { " +
  "let k = from + 19, kept = 0; frac = 0; " +
  // Milliseconds, the common form, at once: `.ddd` then `Z"` (a byte past the buffer is
  // undefined, which fails the 'Z' test, so no digit test is fooled by one).
  "if (b[k] === 46 && b[k + 4] === 90 && b[k + 5] === 34 && ((x = b[k + 1] - 48) >>> 0) <= 9 && ((y = b[k + 2] - 48) >>> 0) <= 9 && ((d = b[k + 3] - 48) >>> 0) <= 9) { " +
  "v = hourMicros + MINUTE_MICROS[mi] + sec * 1000000 + x * 100000 + y * 10000 + d * 1000; i = k + 6; } else { " +
  // Bounded by `end`: past a buffer's last byte b[k] is undefined, and NaN >>> 0 is 0, a "digit".
  "if (b[k] === 46) { k++; x = k < end ? b[k] - 48 : -1; if ((x >>> 0) <= 9) { do { if (kept < 6) { frac = frac * 10 + x; kept++; } x = ++k < end ? b[k] - 48 : -1; } while ((x >>> 0) <= 9); } else k = -1; } " +
  "if (k > 0 && b[k] === 90 && b[k + 1] === 34) { " +
  "for (; kept < 6; kept++) frac *= 10; " +
  "v = hourMicros + MINUTE_MICROS[mi] + sec * 1000000 + frac; i = k + 2; } } } } } " +
  `if (i < from) { ${PLAIN_STRING} v = timestampMicrosAt(b, from, i - 1, zone); if (v === null || !Number.isFinite(v)) return -1; }`;
