import { threadId } from "node:worker_threads";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { dictInternedIdsOf, setDictInternedIds } from "../../columnar/dict-interned-ids.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { Vec } from "../../columnar/vector.ts";
import { StructType, type DataType } from "../../types/data-types.ts";

/**
 * Decoded rows as they cross from a worker thread to this one: the aggregation's input,
 * unaggregated, for the batches whose partial aggregation does not reduce (a worker decodes
 * and runs the stages, this thread only folds). Columns travel as their typed arrays; a
 * vector's type stays behind (the receiver knows the schema). Strings travel as codes into
 * one list per worker thread, plan and column that only grows, as partial groups' keys do
 * (partial-key-strings.ts): a file carries only the strings its worker had not sent yet.
 * This thread keeps the same lists and tells the group table's key columns that a list's
 * entry c is the string of id c in a numbering of its own (dict-interned-ids.ts), so a
 * string seen before costs an index there, not a hash of the string.
 */

/** A list starts again beyond this many strings (a column of unique ids grows without end). */
const MAX_STRINGS = 1 << 21;

export type SentVec =
  | { readonly kind: "num"; readonly values: Float64Array | Int32Array; readonly exact?: BigInt64Array; readonly valid: Uint8Array | null }
  | { readonly kind: "bool"; readonly values: Uint8Array; readonly valid: Uint8Array | null }
  | { readonly kind: "str"; readonly codes: Int32Array; readonly valid: Uint8Array | null }
  | { readonly kind: "struct"; readonly children: readonly SentVec[]; readonly valid: Uint8Array | null };

export interface SentBatch {
  readonly numRows: number;
  readonly columns: readonly SentVec[];
}

/** Per string column (by its path in the schema: "2", "3.0"), what its list gained since the last message. */
export interface SentRowStrings {
  readonly sender: string;
  /** `base`: the list's length before `added` (0 after a restart), checked on receipt: a message lost or out of order is an error, never codes read against the wrong strings. */
  readonly delta: Readonly<Record<string, { readonly restart: boolean; readonly base: number; readonly added: readonly string[] }>>;
}

/** Whether rows of `schema` can travel (numbers, booleans, strings and structs of them: not JS values). */
export function canShipRows(schema: StructType): boolean {
  const shippable = (type: DataType): boolean => {
    const kind = new VecBuilder(type, 0).finish().kind;
    if (kind === "struct") return (type as StructType).fields.every((f) => shippable(f.dataType));
    return kind !== "obj";
  };
  return schema.fields.every((f) => shippable(f.dataType));
}

/** A typed array alone in its buffer (a view into a bigger one would be cloned whole). */
function own<T extends Float64Array | Int32Array | Uint8Array | BigInt64Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T);
}

/** One column's list on the worker: code by string, and by interner id of the decoder's generation. */
interface SenderList {
  readonly codes: Map<string, number>;
  byId: Int32Array;
  generation: number;
}

/** Senders made in this thread so far: a sender that failed mid-message is replaced by one of a new name. */
let senders = 0;

/** A worker thread's lists of one plan (see the module comment). */
export class RowStringsSender {
  readonly #lists = new Map<string, SenderList>();
  #delta: Record<string, { restart: boolean; base: number; added: string[] }> = {};
  readonly sender: string;

  constructor(planKey: string, readonly maxStrings = MAX_STRINGS) {
    this.sender = `${threadId}:${planKey}:rows${senders++}`;
  }

  /** Starts a message: lists past their bound start again (so one message never spans two lists of a column). */
  begin(): void {
    this.#delta = {};
    for (const [path, list] of this.#lists) {
      if (list.codes.size > this.maxStrings) {
        this.#lists.set(path, { codes: new Map(), byId: new Int32Array(0), generation: -1 });
        this.#delta[path] = { restart: true, base: 0, added: [] };
      }
    }
  }

  /** What the lists gained since begin(). */
  end(): SentRowStrings {
    return { sender: this.sender, delta: this.#delta };
  }

  encode(batch: ColumnBatch): SentBatch {
    return { numRows: batch.numRows, columns: batch.columns.map((v, k) => this.#vec(v, String(k), batch.numRows)) };
  }

  #vec(v: Vec, path: string, n: number): SentVec {
    const valid = v.valid === null ? null : own(v.valid);
    switch (v.kind) {
      case "num": return v.exact === undefined ? { kind: "num", values: own(v.values), valid } : { kind: "num", values: own(v.values), exact: own(v.exact), valid };
      case "bool": return { kind: "bool", values: own(v.values), valid };
      case "struct": return { kind: "struct", children: v.children.map((c, k) => this.#vec(c, `${path}.${k}`, n)), valid };
      case "str": return { kind: "str", codes: this.#codes(v.dict, v.codes, v.valid, path, n), valid };
      case "obj": throw new Error("rows with JS values are not shipped (canShipRows)");
    }
  }

  /** The rows' codes into this sender's list of the column at `path`. */
  #codes(dict: readonly string[], codes: Int32Array, valid: Uint8Array | null, path: string, n: number): Int32Array {
    let list = this.#lists.get(path);
    if (list === undefined) this.#lists.set(path, (list = { codes: new Map(), byId: new Int32Array(0), generation: -1 }));
    const delta = (this.#delta[path] ??= { restart: false, base: list.codes.size, added: [] });
    const interned = dictInternedIdsOf(dict);
    if (interned !== undefined && interned.generation !== list.generation) {
      list.generation = interned.generation;
      list.byId = new Int32Array(Math.max(256, dict.length));
    }
    const mine = new Int32Array(dict.length).fill(-1);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue; // a null's code is never read: 0
      const c = codes[i]!;
      let g = mine[c]!;
      if (g < 0) {
        const id = interned === undefined ? -1 : interned.ids[c]!;
        if (id >= 0 && id < list.byId.length) g = list.byId[id]! - 1;
        if (g < 0) {
          const s = dict[c]!;
          let code = list.codes.get(s);
          if (code === undefined) {
            code = list.codes.size;
            list.codes.set(s, code);
            delta.added.push(s);
          }
          g = code;
          if (id >= 0) {
            if (id >= list.byId.length) {
              const grown = new Int32Array(Math.max(list.byId.length * 2, id + 1));
              grown.set(list.byId);
              list.byId = grown;
            }
            list.byId[id] = g + 1;
          }
        }
        mine[c] = g;
      }
      out[i] = g;
    }
    return out;
  }
}

/** This thread's copy of one list: the strings, and their ids (entry c is id c) in a numbering of the list's own. */
interface ReceivedList {
  readonly strings: string[];
  readonly generation: number;
  ids: Int32Array;
}

/** This thread's copies of the workers' lists, by sender and column path: process-wide, as the workers' are. */
const received = new Map<string, Map<string, ReceivedList>>();
/** Numberings of received lists: negative, so never an interner's generation (ByteInterner counts up from 1) nor −1. */
let lastGeneration = -1;

/** Applies a worker's delta (call it for every message of that worker, in the order they arrive); answers its lists. */
function receiveRowStrings(sent: SentRowStrings): Map<string, ReceivedList> {
  let lists = received.get(sent.sender);
  if (lists === undefined) received.set(sent.sender, (lists = new Map()));
  for (const [path, d] of Object.entries(sent.delta)) {
    let list = lists.get(path);
    // A restart makes a new list: batches received before it, not folded yet, keep the old one.
    if (d.restart || list === undefined) lists.set(path, (list = { strings: [], generation: --lastGeneration, ids: new Int32Array(0) }));
    if (list.strings.length !== d.base) {
      throw new Error(`rows from worker ${sent.sender} out of step: column ${path}'s strings list holds ${list.strings.length} strings here, the worker's held ${d.base}`);
    }
    for (const s of d.added) list.strings.push(s);
    if (list.ids.length < list.strings.length) {
      const ids = new Int32Array(Math.max(256, list.ids.length * 2, list.strings.length));
      for (let c = 0; c < ids.length; c++) ids[c] = c;
      list.ids = ids;
    }
    setDictInternedIds(list.strings, list.generation, list.ids);
  }
  return lists;
}

/**
 * A worker's message as this thread's batches of `schema`: call it on every message of a
 * sender, in the order they arrive (its lists grow with each, and a batch's strings are
 * those of the lists as its message left them).
 */
export function receiveRows(schema: StructType, strings: SentRowStrings, batches: readonly SentBatch[]): ColumnBatch[] {
  const lists = receiveRowStrings(strings);
  return batches.map((batch) => receivedBatch(schema, lists, batch));
}

function receivedBatch(schema: StructType, lists: Map<string, ReceivedList>, batch: SentBatch): ColumnBatch {
  const vec = (v: SentVec, type: DataType, path: string): Vec => {
    const length = batch.numRows;
    switch (v.kind) {
      case "num": return { kind: "num", type, length, values: v.values, exact: v.exact, valid: v.valid };
      case "bool": return { kind: "bool", type, length, values: v.values, valid: v.valid };
      case "struct": {
        const struct = type as StructType;
        return { kind: "struct", type: struct, length, children: v.children.map((c, k) => vec(c, struct.fields[k]!.dataType, `${path}.${k}`)), valid: v.valid };
      }
      case "str": return { kind: "str", type, length, codes: v.codes, dict: lists.get(path)?.strings ?? [], valid: v.valid };
    }
  };
  return new ColumnBatch(schema, batch.columns.map((v, k) => vec(v, schema.fields[k]!.dataType, String(k))), batch.numRows);
}
