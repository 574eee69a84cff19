import { InternalError } from "../common/errors.ts";
import type { DataType, StructType } from "../types/data-types.ts";
import { ColumnBatch } from "./column-batch.ts";
import type { StrVec, Vec } from "./vector.ts";

/**
 * A Vec as plain data for postMessage: its typed arrays and dictionary, without its type
 * (the receiver knows the schema and puts the type back, so that types stay the shared
 * frozen objects). Only vectors of typed arrays travel: "obj" vectors (decimals, arrays,
 * maps, intervals) hold values a structured clone would not keep as they are.
 */
export type VecData =
  | { readonly kind: "num"; readonly length: number; readonly values: Float64Array | Int32Array; readonly exact: BigInt64Array | undefined; readonly valid: Uint8Array | null }
  | { readonly kind: "bool"; readonly length: number; readonly values: Uint8Array; readonly valid: Uint8Array | null }
  /** Codes into the sender's dictionary (StringsSent), not the vector's own. */
  | { readonly kind: "str"; readonly length: number; readonly codes: Int32Array; readonly valid: Uint8Array | null }
  | { readonly kind: "struct"; readonly length: number; readonly children: readonly VecData[]; readonly valid: Uint8Array | null };

/** Whether vectors of `type` travel as VecData (typed arrays and strings only). */
export function transfersAsData(type: DataType): boolean {
  switch (type.kind) {
    case "null": case "binary": case "array": case "map": case "decimal": case "interval": return false;
    case "struct": return type.fields.every((f) => transfersAsData(f.dataType));
    default: return true;
  }
}

/**
 * A thread's strings as another thread knows them: every string column it sends is coded
 * into one dictionary that lives as long as the sender (a generation), and each message
 * carries only the strings new since the last. The receiver keeps the dictionary, so a
 * string repeated across files is one string object there — one cheap lookup when the
 * group table interns it, where a fresh copy per file would be hashed and compared anew
 * (measured: most of the receiving thread's time at 1.24M groups). A generation ends past
 * MAX_STRINGS, so that neither side grows without end.
 */
export interface StringsSent {
  readonly sender: string;
  readonly generation: number;
  /** Where `added` starts in the generation's dictionary. */
  readonly from: number;
  readonly added: readonly string[];
}

/**
 * A bound on a generation's strings: the receiver's vectors carry the whole dictionary, and
 * what reads them may allocate by its size per batch (a group table's local ids do).
 */
const MAX_STRINGS = 1 << 18;

export class StringDictionarySender {
  readonly #sender: string;
  #generation = 0;
  #codes = new Map<string, number>();
  #strings: string[] = [];
  #sent = 0;

  constructor(sender: string) {
    this.#sender = sender;
  }

  /** The vector's codes in this dictionary. */
  codesOf(v: StrVec): Int32Array {
    if (this.#strings.length + v.dict.length > MAX_STRINGS) {
      this.#generation++;
      this.#codes = new Map();
      this.#strings = [];
      this.#sent = 0;
    }
    const mine = new Int32Array(v.dict.length);
    v.dict.forEach((s, k) => {
      let c = this.#codes.get(s);
      if (c === undefined) {
        c = this.#strings.push(s) - 1;
        this.#codes.set(s, c);
      }
      mine[k] = c;
    });
    const codes = new Int32Array(v.length);
    const valid = v.valid;
    for (let i = 0; i < v.length; i++) codes[i] = valid !== null && valid[i] === 0 ? 0 : mine[v.codes[i]!]!;
    return codes;
  }

  /** The strings added since the last call, for the message that carries the codes. */
  take(): StringsSent {
    const from = this.#sent;
    this.#sent = this.#strings.length;
    return { sender: this.#sender, generation: this.#generation, from, added: this.#strings.slice(from) };
  }
}

/** The dictionaries of the threads that send here, by sender. */
export class StringDictionaryReceiver {
  readonly #bySender = new Map<string, { generation: number; strings: string[] }>();

  /**
   * Adds a message's strings (messages of one sender must arrive here in the order sent)
   * and returns the dictionary its codes point into. A new generation is a new array: the
   * vectors of earlier messages keep theirs.
   */
  receive(sent: StringsSent): readonly string[] {
    let dict = this.#bySender.get(sent.sender);
    if (dict === undefined || dict.generation !== sent.generation) {
      dict = { generation: sent.generation, strings: [] };
      this.#bySender.set(sent.sender, dict);
    }
    if (dict.strings.length !== sent.from) throw new InternalError(`strings from ${sent.sender} out of order: ${sent.from} after ${dict.strings.length}`);
    for (const s of sent.added) dict.strings.push(s);
    return dict.strings;
  }
}

/**
 * A view over a small part of a big buffer (a builder's spare capacity) is cut to its
 * rows: a structured clone copies a view's whole buffer.
 */
function trimmed<T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: T, length: number): T {
  const rows = a.subarray(0, length) as T;
  return rows.byteLength * 2 < a.buffer.byteLength ? (rows.slice() as T) : rows;
}

export function vecToData(v: Vec, strings: StringDictionarySender): VecData {
  const valid = v.valid === null ? null : trimmed(v.valid, v.length);
  switch (v.kind) {
    case "num": return { kind: "num", length: v.length, values: trimmed(v.values, v.length), exact: v.exact === undefined ? undefined : trimmed(v.exact, v.length), valid };
    case "bool": return { kind: "bool", length: v.length, values: trimmed(v.values, v.length), valid };
    case "str": return { kind: "str", length: v.length, codes: strings.codesOf(v), valid };
    case "struct": return { kind: "struct", length: v.length, children: v.children.map((c) => vecToData(c, strings)), valid };
    case "obj": throw new InternalError(`a column of ${v.type.kind} cannot leave its thread as data (see transfersAsData)`);
  }
}

export function vecFromData(d: VecData, type: DataType, dict: readonly string[]): Vec {
  switch (d.kind) {
    case "num": return d.exact === undefined
      ? { kind: "num", type, length: d.length, values: d.values, valid: d.valid }
      : { kind: "num", type, length: d.length, values: d.values, exact: d.exact, valid: d.valid };
    case "bool": return { kind: "bool", type, length: d.length, values: d.values, valid: d.valid };
    case "str": return { kind: "str", type, length: d.length, codes: d.codes, dict, valid: d.valid };
    case "struct": {
      const struct = type as StructType;
      return { kind: "struct", type: struct, length: d.length, children: d.children.map((c, k) => vecFromData(c, struct.fields[k]!.dataType, dict)), valid: d.valid };
    }
  }
}

/** A batch's columns as data (its schema stays with the receiver). */
export interface BatchData {
  readonly numRows: number;
  readonly columns: readonly VecData[];
}

/** Batches as data, with the strings the receiver does not have yet. */
export interface BatchesData {
  readonly batches: readonly BatchData[];
  readonly strings: StringsSent;
}

export function batchesToData(batches: readonly ColumnBatch[], strings: StringDictionarySender): BatchesData {
  const data = batches.map((b) => ({ numRows: b.numRows, columns: b.columns.map((c) => vecToData(c, strings)) }));
  return { batches: data, strings: strings.take() };
}

/** The batches of `data`, in `schema`: call in the order the sender sent (see StringDictionaryReceiver). */
export function batchesFromData(data: BatchesData, schema: StructType, strings: StringDictionaryReceiver): ColumnBatch[] {
  const dict = strings.receive(data.strings);
  return data.batches.map((b) => new ColumnBatch(schema, b.columns.map((c, k) => vecFromData(c, schema.fields[k]!.dataType, dict)), b.numRows));
}
