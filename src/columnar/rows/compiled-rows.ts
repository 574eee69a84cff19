import type { DataType } from "../../types/data-types.ts";
import type { ColumnBatch } from "../column-batch.ts";
import { dateOfMicros } from "../values.ts";
import type { NumVec, Vec } from "../vector.ts";
import type { Row } from "./batch-to-rows.ts";
import { repeatsInstants, sharedDateMaker } from "./shared-dates.ts";

type Reader = (i: number) => unknown;
type RowLoop = (bound: readonly unknown[], n: number, out: Row[]) => void;

/** The fallback for a column the loop does not read inline: row i's external value. */
export type FallbackReader = (v: Vec, type: DataType, n: number, share: boolean) => Reader;

const loops = new Map<string, RowLoop>();

/**
 * Rows of a batch made by one loop generated for the batch's column kinds (cached by its
 * text): each row one object literal whose values are read straight from the typed arrays,
 * a struct one nested literal, where rows made by a reader per column called per value
 * (batch-to-rows.ts) spent most of collect() in those calls. Values are those of
 * toExternal(valueAt(v, i), type); a column of another kind is read by `fallback`.
 * Null when a field name (at any depth) is `__proto__`, which a literal would take as the
 * prototype: the caller then uses its readers.
 */
export function compiledRows(batch: ColumnBatch, share: boolean, fallback: FallbackReader): Row[] | null {
  const n = batch.numRows;
  const fields = batch.schema.fields;
  if (fields.some((f) => f.name === "__proto__")) return null;
  const c = new LoopSource(n, share, fallback);
  const body = fields.map((f, k) => `${JSON.stringify(f.name)}: ${c.value(batch.columns[k]!, f.dataType)}`).join(", ");
  const source = `"use strict";\n${c.prelude()}\nfor (let i = 0; i < n; i++) out[i] = { ${body} };`;
  let loop = loops.get(source);
  if (loop === undefined) {
    if (loops.size >= 200) loops.clear();
    loop = new Function("a", "n", "out", source) as RowLoop;
    loops.set(source, loop);
  }
  const out: Row[] = new Array(n);
  loop(c.bound, n, out);
  return out;
}

/** The text of one row's values, and the arrays and functions it reads (`a0`, `a1`, …). */
class LoopSource {
  readonly bound: unknown[] = [];
  readonly #lets: string[] = ["x"];

  constructor(readonly n: number, readonly share: boolean, readonly fallback: FallbackReader) {}

  #bind(value: unknown): string {
    this.bound.push(value);
    return `a${this.bound.length - 1}`;
  }

  prelude(): string {
    const consts = this.bound.map((_, k) => `a${k} = a[${k}]`);
    return `${consts.length > 0 ? `const ${consts.join(", ")};\n` : ""}let ${this.#lets.join(", ")};`;
  }

  value(v: Vec, type: DataType): string {
    const present = this.#present(v, type);
    return v.valid === null ? present : `(${this.#bind(v.valid)}[i] === 0 ? null : ${present})`;
  }

  #present(v: Vec, type: DataType): string {
    if (v.kind === "num" && v.exact === undefined) {
      switch (type.kind) {
        case "timestamp": case "timestamp_ntz": return this.#dates(v, dateOfMicros);
        case "date": return this.#dates(v, dateOfDays);
        case "long": return `(Number.isSafeInteger(x = ${this.#bind(v.values)}[i]) ? x : BigInt(Math.trunc(x)))`;
        case "byte": case "short": case "int": case "float": case "double": return `${this.#bind(v.values)}[i]`;
        default: break;
      }
    } else if (v.kind === "str" && type.kind === "string") {
      return `(${this.#bind(v.dict)}[${this.#bind(v.codes)}[i]] ?? null)`;
    } else if (v.kind === "bool" && type.kind === "boolean") {
      return `(${this.#bind(v.values)}[i] === 1)`;
    } else if (v.kind === "struct" && type.kind === "struct" && v.children.length === type.fields.length &&
      !type.fields.some((f) => f.name === "__proto__")) {
      return `{ ${type.fields.map((f, k) => `${JSON.stringify(f.name)}: ${this.value(v.children[k]!, f.dataType)}`).join(", ")} }`;
    }
    const read = this.fallback(v, type, this.n, this.share);
    return `${this.#bind(read)}(i)`;
  }

  /** A column's Dates: one per row, or (rows/shared-dates.ts) one shared per instant, the last one kept at hand. */
  #dates(v: NumVec, make: (value: number) => Date): string {
    const vals = this.#bind(v.values);
    if (!(this.share && repeatsInstants(v.values, this.n, v.valid))) return `${this.#bind(make)}(${vals}[i])`;
    const shared = this.#bind(sharedDateMaker(make));
    const k = this.#lets.length;
    this.#lets.push(`lv${k} = NaN`, `ld${k} = null`);
    return `((x = ${vals}[i]) === lv${k} ? ld${k} : (lv${k} = x, ld${k} = ${shared}(x)))`;
  }
}

function dateOfDays(days: number): Date {
  return new Date(days * 86_400_000);
}
