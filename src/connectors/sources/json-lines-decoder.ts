import { parseDateDays } from "../../columnar/temporal.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import { typeName } from "../../types/data-types.ts";
import type { SourcePredicate } from "../source.ts";
import type { BatchAssembler } from "./batch-assembler.ts";
import { timestampMicrosAt } from "./iso-timestamp.ts";
import { JsonCursor, JsonSyntaxError } from "./json-cursor.ts";
import { JsonTypeMismatch, jsonToInternal } from "./json-value-conversion.ts";
import type { MalformedRecords } from "./parse-mode.ts";
import { equalsIgnoreCaseAt, readSchemaOf } from "./read-schema.ts";
import { RowFilter, SLOT_NULL, SLOT_NUM, SLOT_OBJ, SLOT_STR, SLOT_UNSET } from "./row-filter.ts";

// How a column's values are decoded (a small int so that the per-value switch is cheap).
const T_STRING = 0, T_INT = 1, T_LONG = 2, T_DOUBLE = 3, T_BOOLEAN = 4, T_TIMESTAMP = 5, T_DATE = 6, T_NESTED = 7;
// What a column holds for the line being decoded.
const S_UNSET = SLOT_UNSET, S_NUM = SLOT_NUM, S_STR = SLOT_STR, S_OBJ = SLOT_OBJ, S_NULL = SLOT_NULL;
const LBRACE = 123, RBRACE = 125, COMMA = 44, COLON = 58;

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

export interface JsonLinesOptions {
  /** The string column that receives a malformed line's text, if the schema has it. */
  readonly corruptRecordColumn: string;
  readonly malformed: MalformedRecords;
  /** Pushed predicates (ReadRequest.filters): lines that fail one are not appended. */
  readonly filters?: readonly SourcePredicate[];
}

/**
 * Decodes JSON lines straight into column builders: each line is scanned once, only the
 * requested columns are decoded and every other value is skipped without building
 * objects. Field names match case-sensitively first, then case-insensitively. Values
 * are coerced as Spark's JSON reader does; a line that is not valid JSON, or a value
 * that does not fit its column, is malformed and handled by the parse mode.
 *
 * With pushed predicates, a field is tested as soon as it is decoded; once one fails,
 * the rest of the line is only checked (syntax and type fit, so that malformed lines are
 * counted and handled by the parse mode exactly as without predicates), not materialised,
 * and nothing of the line is appended. A malformed line kept by PERMISSIVE is tested as
 * the row it becomes (nulls where values did not decode), as Spark filters it.
 */
export class JsonLinesDecoder {
  readonly outputSchema: StructType;
  readonly #cursor = new JsonCursor();
  readonly #keyNames: string[] = [];
  readonly #keySlots: number[] = [];
  readonly #types: number[] = [];
  readonly #dataTypes: DataType[] = [];
  readonly #corruptSlot: number;
  readonly #state: Uint8Array;
  readonly #nums: Float64Array;
  readonly #strs: string[];
  readonly #objs: unknown[];
  /** Whether each slot was filled by an exactly matching name (which wins over a case-insensitive one). */
  readonly #exact: Uint8Array;
  #lastMatchExact = false;
  #hint = 0;
  readonly #internCache: (string | undefined)[][];
  readonly #filter: RowFilter | null;
  /** Set when a pushed predicate failed on the line being decoded: values are checked, not kept. */
  #rejected = false;

  constructor(schema: StructType, columns: readonly string[] | undefined, readonly options: JsonLinesOptions) {
    this.outputSchema = readSchemaOf(schema, columns);
    const fields = this.outputSchema.fields;
    this.#corruptSlot = fields.findIndex((f) => f.name === options.corruptRecordColumn && f.dataType.kind === "string");
    fields.forEach((f, k) => {
      this.#types.push(typeCode(f.dataType));
      this.#dataTypes.push(f.dataType);
      if (k !== this.#corruptSlot) {
        this.#keyNames.push(f.name);
        this.#keySlots.push(k);
      }
    });
    this.#state = new Uint8Array(fields.length);
    this.#exact = new Uint8Array(fields.length);
    this.#internCache = fields.map(() => new Array<string | undefined>(256).fill(undefined));
    this.#nums = new Float64Array(fields.length);
    this.#strs = new Array<string>(fields.length).fill("");
    this.#objs = new Array<unknown>(fields.length).fill(null);
    this.#filter = RowFilter.create(this.outputSchema, options.filters, { state: this.#state, nums: this.#nums, strs: this.#strs }, this.#corruptSlot);
  }

  /**
   * Decodes the complete lines of `text`, whose first line is line `firstLine` (1-based)
   * of `path`; returns the number of lines.
   */
  decodeLines(text: string, path: string, firstLine: number, out: BatchAssembler): number {
    const n = text.length;
    let i = 0;
    let line = firstLine;
    this.#cursor.beginText(text);
    while (i < n) {
      let nl = text.indexOf("\n", i);
      if (nl < 0) nl = n;
      const end = nl > i && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.#decodeLine(text, i, end, path, line, out);
      i = nl + 1;
      line++;
    }
    return line - firstLine;
  }

  #decodeLine(s: string, start: number, end: number, path: string, line: number, out: BatchAssembler): void {
    const cur = this.#cursor;
    const state = this.#state;
    state.fill(S_UNSET);
    this.#exact.fill(0);
    cur.reset(start, end);
    const filter = this.#filter;
    this.#rejected = false;
    let reason: string | null = null;
    let syntaxError = false;
    try {
      let c = cur.skipWs();
      if (c === -1) return; // blank lines are skipped
      if (c !== LBRACE) cur.fail("expected '{'");
      cur.pos++;
      c = cur.skipWs();
      if (c === RBRACE) cur.pos++;
      else {
        for (;;) {
          if (!cur.isQuote(c)) cur.fail("expected a field name");
          const keyStart = cur.scanString();
          const slot = this.#matchKey(keyStart);
          cur.expect(COLON, "':'");
          if (slot < 0 || (state[slot] !== S_UNSET && (this.#exact[slot] === 1 || !this.#lastMatchExact))) cur.skipValue();
          else {
            this.#exact[slot] = this.#lastMatchExact ? 1 : 0;
            const problem = this.#decodeValue(slot);
            if (problem !== null) reason ??= problem;
            else if (filter !== null && filter.tested[slot] === 1 && !this.#rejected) {
              // A case-insensitive match may still give way to an exact one later in the line.
              if (this.#exact[slot] === 1 && !filter.passesSlot(slot)) this.#rejected = true;
            }
          }
          c = cur.skipWs();
          cur.pos++;
          if (c === COMMA) { c = cur.skipWs(); continue; }
          if (c === RBRACE) break;
          cur.pos--;
          cur.fail("expected ',' or '}'");
        }
      }
      if (cur.skipWs() !== -1) cur.fail("unexpected text after the record");
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      reason = `invalid JSON: ${e.message}`;
      state.fill(S_UNSET);
      syntaxError = true;
    }
    if (reason !== null && !this.options.malformed.report(path, line, reason)) return;
    // An invalid line becomes a row of nulls: test that row, whatever failed before.
    if (filter !== null && ((this.#rejected && !syntaxError) || !filter.passesRow())) return;
    this.#commit(out, reason === null ? null : s.slice(start, end));
  }

  /** The output slot of the key whose text starts at `start` (and ends before the cursor's quote), or -1. */
  #matchKey(start: number): number {
    const cur = this.#cursor;
    const s = cur.s;
    const names = this.#keyNames;
    const m = names.length;
    this.#lastMatchExact = true;
    if (cur.escaped) return this.#matchName(cur.stringValue(start));
    const len = cur.pos - 1 - start;
    for (let j = 0, idx = this.#hint; j < m; j++, idx++) {
      if (idx >= m) idx = 0;
      const name = names[idx]!;
      if (name.length === len && s.startsWith(name, start)) {
        this.#hint = idx + 1;
        return this.#keySlots[idx]!;
      }
    }
    this.#lastMatchExact = false;
    for (let idx = 0; idx < m; idx++) {
      const name = names[idx]!;
      if (name.length === len && equalsIgnoreCaseAt(s, start, name)) return this.#keySlots[idx]!;
    }
    return -1;
  }

  #matchName(key: string): number {
    let idx = this.#keyNames.indexOf(key);
    this.#lastMatchExact = idx >= 0;
    if (idx < 0) idx = this.#keyNames.findIndex((n) => n.toLowerCase() === key.toLowerCase());
    return idx < 0 ? -1 : this.#keySlots[idx]!;
  }

  /** Decodes the value at the cursor into `slot`; returns why it does not fit, or null. */
  #decodeValue(slot: number): string | null {
    const cur = this.#cursor;
    const c = cur.skipWs();
    const valueStart = cur.pos;
    if (c === 110 /* n */ && cur.tryWord("null")) {
      this.#state[slot] = S_NULL;
      return null;
    }
    const quoted = cur.isQuote(c);
    switch (this.#types[slot]) {
      case T_STRING:
        if (quoted) {
          const from = cur.scanString();
          if (this.#rejected) { if (cur.escaped) cur.stringValue(from); } // escapes are still checked
          else this.#strs[slot] = cur.escaped ? cur.stringValue(from) : this.#intern(slot, from, cur.pos - 1);
        } else {
          // Spark keeps a non-string value's JSON text in a string column.
          cur.skipValue();
          if (!this.#rejected) this.#strs[slot] = cur.s.slice(valueStart, cur.pos);
        }
        this.#state[slot] = S_STR;
        return null;
      case T_INT:
      case T_LONG:
        if (quoted || !cur.scanNumber() || !cur.integral) break;
        if (this.#types[slot] === T_INT && (cur.num < -2147483648 || cur.num > 2147483647)) break;
        this.#nums[slot] = cur.num;
        this.#state[slot] = S_NUM;
        return null;
      case T_DOUBLE:
        if (quoted) {
          const text = cur.readString();
          const v = text === "NaN" ? NaN : text === "Infinity" ? Infinity : text === "-Infinity" ? -Infinity : null;
          if (v === null) break;
          this.#nums[slot] = v;
        } else if (cur.scanNumber()) this.#nums[slot] = cur.num;
        else break;
        this.#state[slot] = S_NUM;
        return null;
      case T_BOOLEAN:
        if (cur.tryWord("true")) this.#nums[slot] = 1;
        else if (cur.tryWord("false")) this.#nums[slot] = 0;
        else break;
        this.#state[slot] = S_OBJ;
        this.#objs[slot] = this.#nums[slot] === 1;
        return null;
      case T_TIMESTAMP: {
        let micros: number | null = null;
        if (quoted) {
          const from = cur.scanString();
          micros = cur.escaped ? timestampMicrosAt(cur.stringValue(from), 0, cur.pos - 1 - from) : timestampMicrosAt(cur.s, from, cur.pos - 1);
        }
        else if (cur.scanNumber()) micros = Math.floor(cur.num * 1_000_000); // seconds since the epoch
        if (micros === null || !Number.isFinite(micros)) break;
        this.#nums[slot] = micros;
        this.#state[slot] = S_NUM;
        return null;
      }
      case T_DATE: {
        const days = quoted ? parseDateDays(cur.readString()) : null;
        if (days === null) break;
        this.#nums[slot] = days;
        this.#state[slot] = S_NUM;
        return null;
      }
      default: {
        const value = cur.parseValue();
        try {
          this.#objs[slot] = jsonToInternal(value, this.#dataTypes[slot]!);
        } catch (e) {
          if (!(e instanceof JsonTypeMismatch)) throw e;
          return `field '${this.outputSchema.fields[slot]!.name}': ${e.message}`;
        }
        this.#state[slot] = S_OBJ;
        return null;
      }
    }
    // The value does not fit: skip what is left of it and say what it was.
    cur.pos = valueStart;
    cur.skipValue();
    const raw = cur.s.slice(valueStart, cur.pos);
    return `field '${this.outputSchema.fields[slot]!.name}': cannot convert ${raw} to ${typeName(this.#dataTypes[slot]!)}`;
  }

  /**
   * s[start, end) as a string, reusing the string seen before for the same text: a small
   * per-column cache that spares low-cardinality columns (actions, hosts) an allocation
   * per value, and lets the dictionary lookup reuse the string's cached hash.
   */
  #intern(slot: number, start: number, end: number): string {
    const s = this.#cursor.s;
    const len = end - start;
    if (len === 0) return "";
    const h = (len * 31 + s.charCodeAt(start) * 7 + s.charCodeAt(end - 1) * 13 + s.charCodeAt(start + (len >> 1))) & 255;
    const cache = this.#internCache[slot]!;
    const hit = cache[h];
    if (hit !== undefined && hit.length === len && s.startsWith(hit, start)) return hit;
    const value = s.slice(start, end);
    cache[h] = value;
    return value;
  }

  #commit(out: BatchAssembler, corruptText: string | null): void {
    const builders = out.builders;
    const state = this.#state;
    for (let k = 0; k < state.length; k++) {
      const b = builders[k]!;
      switch (state[k]) {
        case S_NUM: b.appendNumber(this.#nums[k]!); break;
        case S_STR: b.appendString(this.#strs[k]!); break;
        case S_OBJ: b.append(this.#objs[k]); break;
        default:
          if (k === this.#corruptSlot && corruptText !== null) b.appendString(corruptText);
          else b.appendNull();
      }
    }
    out.rowDone();
  }
}
