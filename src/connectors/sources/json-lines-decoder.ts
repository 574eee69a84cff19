import type { StructType } from "../../types/data-types.ts";
import type { SourcePredicate } from "../source.ts";
import type { BatchAssembler } from "./batch-assembler.ts";
import { UTC, type ZoneRules } from "../../common/time-zone.ts";
import { JsonCursor, JsonSyntaxError, utf8Text } from "./json-cursor.ts";
import { jsonArrayLineElements } from "./json-document.ts";
import { compileShape, PENDING_LINES, pendingStringSlots, type LineShape, type ShapeDecoder } from "./json-line-shape.ts";
import { appendPendingStrings } from "./json-pending-strings.ts";
import type { MalformedRecords } from "./parse-mode.ts";
import { readSchemaOf } from "./read-schema.ts";
import { RowFilter, SLOT_UNSET } from "./row-filter.ts";
import { JsonScratchRow } from "./json-scratch-row.ts";
import { JsonValueDecoder } from "./json-value-decoder.ts";

const LBRACE = 123, RBRACE = 125, COMMA = 44, COLON = 58, LBRACKET = 91;
/** Lines per run: a direct shape's string values wait at most a run to be looked up together (json-pending-strings.ts). */
const RUN_LINES = PENDING_LINES;
/** Fields of a line the general path records for learning its shape; wider lines are not learnt. */
const MAX_SHAPE_FIELDS = 64;
/** Lines the fast path may miss before its hit rate decides whether to keep learning and trying it. */
const SHAPE_GRACE = 64;

export interface JsonLinesOptions {
  /** The string column that receives a malformed line's text, if the schema has it. */
  readonly corruptRecordColumn: string;
  readonly malformed: MalformedRecords;
  /** Pushed predicates (ReadRequest.filters): lines that fail one are not appended. */
  readonly filters?: readonly SourcePredicate[];
  /** The zone of timestamps written without an offset (the timeZone option; the session zone). UTC when absent. */
  readonly zone?: ZoneRules;
}

/**
 * Decodes JSON lines straight from the file's UTF-8 bytes into column builders: each
 * line is scanned once, only the requested columns are decoded and every other value is
 * skipped without building objects or strings; string values are interned by their
 * bytes, so a repeated value is never decoded again. Field names match case-sensitively first, then case-insensitively. Values
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
  readonly #zone: ZoneRules;
  readonly #cursor = new JsonCursor();
  readonly #keyNames: string[] = [];
  readonly #keyBytes: Uint8Array[] = [];
  readonly #keySlots: number[] = [];
  readonly #corruptSlot: number;
  /** One line's values before they are appended (the compiled fast path fills it too when filters test a line). */
  readonly #row: JsonScratchRow;
  /** The general path's decoding of one value into #row. */
  readonly #values: JsonValueDecoder;
  #hint = 0;
  readonly #filter: RowFilter | null;
  /** Set when a pushed predicate failed on the line being decoded: values are checked, not kept. */
  #rejected = false;
  /** Cleared while a line is decoded again because a repeated key may overturn a rejection. */
  #earlyReject = true;
  /** The fast path for lines of the shape learnt last (json-line-shape.ts), or null. */
  #shape: ShapeDecoder | null = null;
  /** The shape #shape was compiled for. */
  #lineShape: LineShape | null = null;
  /** The slots of its string fields, whose values it leaves pending (pendingStringSlots). */
  #pendingSlots: number[] = [];
  #shapeHits = 0;
  #shapeMisses = 0;
  /** Lines decoded by the compiled fast path (the rest went through the general path). */
  get compiledLines(): number {
    return this.#shapeHits;
  }

  /** Set once the fast path missed too often to be worth trying on this input. */
  #shapeOff = false;
  /** Recorded by the general path for learning a shape: per field, where its value starts and ends, and its slot. */
  readonly #valueStarts = new Int32Array(MAX_SHAPE_FIELDS);
  readonly #valueEnds = new Int32Array(MAX_SHAPE_FIELDS);
  readonly #fieldSlots = new Int32Array(MAX_SHAPE_FIELDS);

  constructor(schema: StructType, columns: readonly string[] | undefined, readonly options: JsonLinesOptions) {
    this.outputSchema = readSchemaOf(schema, columns);
    this.#zone = options.zone ?? UTC;
    const fields = this.outputSchema.fields;
    this.#corruptSlot = fields.findIndex((f) => f.name === options.corruptRecordColumn && f.dataType.kind === "string");
    fields.forEach((f, k) => {
      if (k !== this.#corruptSlot) {
        this.#keyNames.push(f.name);
        this.#keyBytes.push(Buffer.from(f.name, "utf8"));
        this.#keySlots.push(k);
      }
    });
    this.#row = new JsonScratchRow(fields.length);
    this.#values = new JsonValueDecoder(fields, this.#cursor, this.#row, this.#zone);
    this.#filter = RowFilter.create(this.outputSchema, options.filters, this.#row, this.#corruptSlot);
  }

  /**
   * Decodes the complete lines in b[start, end), whose first line is line `firstLine`
   * (1-based) of `path`; returns the number of lines.
   */
  decodeLines(b: Buffer, start: number, end: number, path: string, firstLine: number, out: BatchAssembler): number {
    let i = start;
    let line = firstLine;
    this.#cursor.beginText(b);
    this.#dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    while (i < end) {
      i = this.#decodeRun(b, i, end, path, line, out);
      line += this.#runLines;
    }
    return line - firstLine;
  }

  /** The bytes of the block being decoded (decodeLines' `b`), for reading four at a time. */
  #dv: DataView = new DataView(new ArrayBuffer(0));

  /** Lines the last #decodeRun decoded. */
  #runLines = 0;

  /**
   * Decodes up to RUN_LINES lines from `start`; returns where the next line starts. The
   * hot loop lives in a function called once per run rather than once per file: V8 then
   * optimizes it as a whole function, which here runs 1.5x faster than the on-stack
   * replacement code a loop entered once per file is left with.
   */
  #decodeRun(b: Buffer, start: number, end: number, path: string, firstLine: number, out: BatchAssembler): number {
    let i = start;
    let n = 0;
    let shape = this.#shape;
    let deferring = this.#pendingSlots.length > 0;
    const filter = this.#filter;
    const dv = this.#dv;
    while (i < end && n < RUN_LINES) {
      const lineEnd = shape === null ? -1 : shape(b, dv, i, end, this.#row, out.builders, this.#zone);
      if (lineEnd >= 0) {
        this.#shapeHits++;
        // Without pushed filters the compiled code appended the row itself, but for its
        // pending strings, which must be in before the batch is cut.
        if (filter === null) {
          if (deferring && out.rowsLeft === 1) appendPendingStrings(this.#row, this.#pendingSlots, b, dv, out.builders);
          out.rowDone();
        } else if (filter.passesRow()) this.#row.appendTo(out, this.#corruptSlot, null);
        i = lineEnd + 1;
      } else {
        // The general path appends whole rows (and may learn another shape): the pending strings go first.
        appendPendingStrings(this.#row, this.#pendingSlots, b, dv, out.builders);
        this.#shapeMisses++;
        i = this.#decodeLine(b, i, end, path, firstLine + n, out) + 1;
        shape = this.#shape; // the line may have taught a new shape
        deferring = this.#pendingSlots.length > 0;
      }
      n++;
    }
    appendPendingStrings(this.#row, this.#pendingSlots, b, dv, out.builders);
    this.#runLines = n;
    const learnt = this.#lineShape;
    if (this.#shape !== null && learnt !== null && learnt.deferStrings !== this.#defersStrings(learnt)) this.#compile(learnt);
    return i;
  }

  /**
   * After the general path read a whole line without a problem: compiles the fast path
   * for lines shaped like it, while misses are few enough for that to pay. `fields`
   * values were recorded; the record's closing brace is at `closeAt`.
   */
  #learnShape(b: Buffer, start: number, fields: number, closeAt: number): void {
    if (this.#shapeOff) return;
    if (this.#shapeMisses > SHAPE_GRACE) {
      if (this.#shapeMisses * 4 > this.#shapeHits) {
        this.#shape = null;
        this.#shapeOff = true;
        return;
      }
      if (this.#shapeMisses * 16 > this.#shapeHits) return;
    }
    const shapeFields = [];
    for (let f = 0; f < fields; f++) {
      const slot = this.#fieldSlots[f]!;
      const role = slot < 0 ? "skip" : this.#values.shapeRole(slot);
      if (role === null) return;
      const prefix = Uint8Array.from(b.subarray(f === 0 ? start : this.#valueEnds[f - 1]!, this.#valueStarts[f]!));
      shapeFields.push({ prefix, slot, role });
    }
    const suffix = Uint8Array.from(b.subarray(this.#valueEnds[fields - 1]!, closeAt + 1));
    this.#compile({ fields: shapeFields, suffix, width: this.#row.state.length, direct: this.#filter === null, deferStrings: false });
    if (this.#shape === null) this.#shapeOff = true; // no code generation here: the general path only
  }

  /** Makes `shape` the fast path, its string values deferred or not as #defersStrings says now. */
  #compile(shape: LineShape): void {
    const deferStrings = this.#defersStrings(shape);
    this.#lineShape = deferStrings === shape.deferStrings ? shape : { ...shape, deferStrings };
    this.#shape = compileShape(this.#lineShape);
    this.#pendingSlots = pendingStringSlots(this.#lineShape);
  }

  /**
   * Whether the fast path for `shape` should defer its string values: a direct shape whose
   * string column's lookups mostly miss the caches (its interner is large) looks up a run's
   * values together (json-pending-strings.ts). Checked after each run, as interners grow.
   */
  #defersStrings(shape: LineShape): boolean {
    if (!shape.direct) return false;
    for (const f of shape.fields) if (f.role === "string" && this.#row.interners[f.slot]!.large) return true;
    return false;
  }

  /**
   * Decodes the line starting at `start` (the cursor stops at its line break, so it is
   * not searched for first); returns where the line ends: its line break, or `blockEnd`.
   */
  #decodeLine(b: Buffer, start: number, blockEnd: number, path: string, line: number, out: BatchAssembler): number {
    const cur = this.#cursor;
    const state = this.#row.state;
    for (let k = 0; k < state.length; k++) state[k] = SLOT_UNSET; // narrow: cheaper than fill()
    cur.reset(start, blockEnd);
    const filter = this.#filter;
    this.#rejected = false;
    let reason: string | null = null;
    let syntaxError = false;
    // What learning the line's shape needs: its fields' value bounds and slots, unless a
    // name came twice (those lines stay on the general path).
    let fields = 0;
    let learnable = true;
    let closeAt = -1;
    try {
      let c = cur.skipWs();
      if (c === -1) return cur.pos; // blank lines are skipped
      if (c !== LBRACE) {
        // A line holding an array of objects: a row per element, as Spark reads it.
        const elements = c === LBRACKET ? jsonArrayLineElements(b, start, blockEnd) : null;
        if (elements === null) return cur.fail("expected '{'");
        for (const [s, e] of elements) this.#decodeLine(b, s, e, path, line, out);
        const lineEnd = b.indexOf(10, start);
        return lineEnd < 0 || lineEnd > blockEnd ? blockEnd : lineEnd;
      }
      cur.pos++;
      c = cur.skipWs();
      if (c === RBRACE) { cur.pos++; learnable = false; }
      else {
        for (;;) {
          if (!cur.isQuote(c)) cur.fail("expected a field name");
          const keyStart = cur.scanString();
          const slot = this.#matchKey(keyStart);
          cur.expect(COLON, "':'");
          if (fields < MAX_SHAPE_FIELDS) {
            cur.skipWs();
            this.#valueStarts[fields] = cur.pos;
            this.#fieldSlots[fields] = slot;
          } else learnable = false;
          if (slot < 0) cur.skipValue();
          else {
            if (state[slot] !== SLOT_UNSET) {
              // A repeated key: the last value wins (Spark's row.update). Values after a
              // rejection were not kept, so a rejected line is decoded again without rejecting early.
              learnable = false;
              if (this.#rejected) return this.#decodeLineAgain(b, start, blockEnd, path, line, out);
            }
            const problem = this.#values.decode(slot, this.#dv, this.#rejected);
            if (problem !== null) reason ??= problem;
            else if (filter !== null && filter.tested[slot] === 1 && !this.#rejected && this.#earlyReject) {
              if (!filter.passesSlot(slot)) this.#rejected = true;
            }
          }
          if (fields < MAX_SHAPE_FIELDS) this.#valueEnds[fields++] = cur.pos;
          c = cur.skipWs();
          cur.pos++;
          if (c === COMMA) { c = cur.skipWs(); continue; }
          if (c === RBRACE) { closeAt = cur.pos - 1; break; }
          cur.pos--;
          cur.fail("expected ',' or '}'");
        }
      }
      if (cur.skipWs() !== -1) cur.fail("unexpected text after the record");
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      reason = `invalid JSON: ${e.message}`;
      state.fill(SLOT_UNSET);
      syntaxError = true;
    }
    // After a whole record the cursor is at the line's end; after an error, search for it.
    let end = cur.pos;
    if (syntaxError) {
      end = b.indexOf(10, start);
      if (end < 0 || end > blockEnd) end = blockEnd;
    }
    if (reason === null && !syntaxError && learnable && this.#shapeOff === false) this.#learnShape(b, start, fields, closeAt);
    if (reason !== null && !this.options.malformed.report(path, line, reason)) return end;
    // An invalid line becomes a row of nulls: test that row, whatever failed before.
    if (filter !== null && ((this.#rejected && !syntaxError) || !filter.passesRow())) return end;
    this.#row.appendTo(out, this.#corruptSlot, reason === null ? null : utf8Text(b, start, end > start && b[end - 1] === 13 ? end - 1 : end));
    return end;
  }

  #decodeLineAgain(b: Buffer, start: number, blockEnd: number, path: string, line: number, out: BatchAssembler): number {
    this.#earlyReject = false;
    try {
      return this.#decodeLine(b, start, blockEnd, path, line, out);
    } finally {
      this.#earlyReject = true;
    }
  }

  /**
   * The output slot of the key whose text starts at `start` (and ends before the cursor's quote),
   * or -1. Names match exactly, as Spark's JacksonParser (schema.getFieldIndex), whatever
   * spark.sql.caseSensitive says.
   */
  #matchKey(start: number): number {
    const cur = this.#cursor;
    const b = cur.b;
    const names = this.#keyBytes;
    const m = names.length;
    if (cur.escaped) return this.#matchName(cur.stringValue(start));
    const len = cur.pos - 1 - start;
    // Fields mostly come in the same order on every line: start after the last match.
    for (let j = 0, idx = this.#hint; j < m; j++, idx++) {
      if (idx >= m) idx = 0;
      const name = names[idx]!;
      if (name.length !== len) continue;
      let k = 0;
      while (k < len && name[k] === b[start + k]) k++;
      if (k === len) {
        this.#hint = idx + 1;
        return this.#keySlots[idx]!;
      }
    }
    return -1;
  }

  #matchName(key: string): number {
    const idx = this.#keyNames.indexOf(key);
    return idx < 0 ? -1 : this.#keySlots[idx]!;
  }
}
