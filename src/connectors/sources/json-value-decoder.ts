import { regenerateJson } from "./json-regenerate.ts";
import { MAX_SAFE_LONG } from "../../columnar/long-values.ts";
import { parseDateDays, parseTimestampMicros } from "../../columnar/temporal.ts";
import type { DataType, StructField } from "../../types/data-types.ts";
import { typeName } from "../../types/data-types.ts";
import { timestampMicrosAt } from "./iso-timestamp.ts";
import type { ZoneRules } from "../../common/time-zone.ts";
import { hashBytes } from "./byte-interner.ts";
import { utf8Text, type JsonCursor } from "./json-cursor.ts";
import type { ShapeRole } from "./json-line-shape.ts";
import { JsonTypeMismatch, jsonToInternal } from "../../columnar/json-decoding.ts";
import { SLOT_NULL, SLOT_NUM, SLOT_OBJ, SLOT_STR } from "./row-filter.ts";
import type { JsonScratchRow } from "./json-scratch-row.ts";

// How a column's values are decoded (a small int so that the per-value switch is cheap).
const T_STRING = 0, T_INT = 1, T_LONG = 2, T_DOUBLE = 3, T_BOOLEAN = 4, T_TIMESTAMP = 5, T_DATE = 6, T_NESTED = 7;

/** The fast path's role for each T_* code (by index); null: such columns keep a line on the general path. */
const SHAPE_ROLES: readonly (ShapeRole | null)[] = ["string", "int", "long", "double", "boolean", "timestamp", null, null];

function typeCode(t: DataType): number {
  switch (t.kind) {
    case "string": return T_STRING;
    case "int": return T_INT;
    case "long": return T_LONG;
    case "double": return T_DOUBLE;
    case "boolean": return T_BOOLEAN;
    case "timestamp": return T_TIMESTAMP;
    case "date": return T_DATE;
    default: return T_NESTED;
  }
}

/**
 * The general path's value decoding: the JSON value at the cursor into one slot of the
 * scratch row, coerced to the slot's column type as Spark's JSON reader (JacksonParser)
 * coerces it. String values are interned by their bytes (hashed once, the hash kept for
 * the builders), so a repeated value is never decoded again.
 */
export class JsonValueDecoder {
  readonly #types: number[];

  constructor(
    readonly fields: readonly StructField[],
    readonly cursor: JsonCursor,
    readonly row: JsonScratchRow,
    readonly zone: ZoneRules,
  ) {
    this.#types = fields.map((f) => typeCode(f.dataType));
  }

  /** How the compiled fast path reads `slot`'s values, or null when it cannot (json-line-shape.ts). */
  shapeRole(slot: number): ShapeRole | null {
    return SHAPE_ROLES[this.#types[slot]!] ?? null;
  }

  /**
   * Decodes the value at the cursor into `slot`; returns why it does not fit, or null. `dv`
   * views the cursor's bytes; with `rejected` (a pushed filter failed) values are checked, not kept.
   */
  decode(slot: number, dv: DataView, rejected: boolean): string | null {
    const cur = this.cursor;
    const row = this.row;
    const c = cur.skipWs();
    const valueStart = cur.pos;
    if (c === 110 /* n */ && cur.tryWord("null")) {
      row.state[slot] = SLOT_NULL;
      return null;
    }
    const quoted = cur.isQuote(c);
    const type = this.#types[slot]!;
    switch (type) {
      case T_STRING:
        if (quoted) {
          const from = cur.scanString();
          if (rejected) { if (cur.escaped) cur.stringValue(from); } // escapes are still checked
          else if (cur.escaped) {
            row.strs[slot] = cur.stringValue(from);
            row.ids[slot] = -1;
          } else {
            const interner = row.interners[slot]!;
            const hash = hashBytes(cur.b, dv, from, cur.pos - 1);
            row.strs[slot] = interner.intern(cur.b, dv, from, cur.pos - 1, hash);
            row.ids[slot] = interner.lastId;
            row.hashes[slot] = hash;
          }
        } else {
          // Spark writes a non-string value's JSON again (Jackson's generator) into a string column.
          cur.skipValue();
          if (!rejected) {
            row.strs[slot] = regenerateJson(utf8Text(cur.b, valueStart, cur.pos));
            row.ids[slot] = -1;
          }
        }
        row.state[slot] = SLOT_STR;
        return null;
      case T_INT:
      case T_LONG:
        if (quoted || !cur.scanNumber() || !cur.integral) break;
        if (type === T_INT && (cur.num < -2147483648 || cur.num > 2147483647)) break;
        if (!(cur.num <= MAX_SAFE_LONG && cur.num >= -MAX_SAFE_LONG)) {
          // Beyond ±2^53 the double is not the value: read the digits exactly (vector.ts's exact longs).
          const big = BigInt(utf8Text(cur.b, valueStart, cur.pos));
          if (BigInt.asIntN(64, big) !== big) break;
          row.objs[slot] = big;
          row.nums[slot] = NaN; // a pushed-down filter keeps the row; the Filter above decides exactly
          row.state[slot] = SLOT_OBJ;
          return null;
        }
        row.nums[slot] = cur.num + 0; // an integer has no negative zero: -0 is 0
        row.state[slot] = SLOT_NUM;
        return null;
      case T_DOUBLE:
        if (quoted) {
          const text = cur.readString();
          const v = text === "NaN" ? NaN : text === "Infinity" ? Infinity : text === "-Infinity" ? -Infinity : null;
          if (v === null) break;
          row.nums[slot] = v;
        } else if (cur.scanNumber()) row.nums[slot] = cur.num;
        else break;
        row.state[slot] = SLOT_NUM;
        return null;
      case T_BOOLEAN:
        if (cur.tryWord("true")) row.nums[slot] = 1;
        else if (cur.tryWord("false")) row.nums[slot] = 0;
        else break;
        row.state[slot] = SLOT_OBJ;
        row.objs[slot] = row.nums[slot] === 1;
        return null;
      case T_TIMESTAMP: {
        let micros: number | null = null;
        if (quoted) {
          const from = cur.scanString();
          micros = cur.escaped ? parseTimestampMicros(cur.stringValue(from), this.zone) : timestampMicrosAt(cur.b, from, cur.pos - 1, this.zone);
        }
        else if (cur.scanNumber()) micros = Math.floor(cur.num * 1_000_000); // seconds since the epoch
        if (micros === null || !Number.isFinite(micros)) break;
        row.nums[slot] = micros;
        row.state[slot] = SLOT_NUM;
        return null;
      }
      case T_DATE: {
        const days = quoted ? parseDateDays(cur.readString()) : null;
        if (days === null) break;
        row.nums[slot] = days;
        row.state[slot] = SLOT_NUM;
        return null;
      }
      default: {
        const dataType = this.fields[slot]!.dataType;
        // A DECIMAL column reads the number's own digits (or a quoted number), never through a double.
        const value = dataType.kind === "decimal" ? decimalText(cur) : cur.parseValue();
        try {
          row.objs[slot] = jsonToInternal(value, dataType, this.zone);
        } catch (e) {
          if (!(e instanceof JsonTypeMismatch)) throw e;
          return `field '${this.fields[slot]!.name}': ${e.message}`;
        }
        row.state[slot] = SLOT_OBJ;
        return null;
      }
    }
    // The value does not fit: skip what is left of it and say what it was.
    cur.pos = valueStart;
    cur.skipValue();
    const raw = utf8Text(cur.b, valueStart, cur.pos);
    return `field '${this.fields[slot]!.name}': cannot convert ${raw} to ${typeName(this.fields[slot]!.dataType)}`;
  }
}

/** A JSON number as its text (what jsonToInternal parses exactly for a DECIMAL), or the parsed value of anything else. */
function decimalText(cur: JsonCursor): unknown {
  const c = cur.skipWs();
  if (cur.isQuote(c)) return cur.readString();
  const start = cur.pos;
  if (cur.scanNumber()) return cur.b.toString("latin1", start, cur.pos);
  return cur.parseValue();
}
