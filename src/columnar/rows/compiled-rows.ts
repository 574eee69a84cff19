import type { DataType, StructType } from "../../types/data-types.ts";
import type { ColumnBatch } from "../column-batch.ts";
import { dateOfDays, dateOfMicros } from "../values.ts";
import type { NumVec, Vec } from "../vector.ts";
import type { Row } from "./batch-to-rows.ts";
import { repeatsInstantsAcross, sharedDateMaker } from "./shared-dates.ts";

type Reader = (i: number) => unknown;
type RowLoop = (bound: readonly unknown[], n: number, out: Row[], o: number) => void;

/** The fallback for a column the loop does not read inline: row i's external value (Dates of its own). */
export type FallbackReader = (v: Vec, type: DataType, n: number, share: boolean) => Reader;

const loops = new Map<string, RowLoop>();

/**
 * The rows of batches of one schema, one after the other, each batch's by one loop
 * generated for its column kinds (cached by its text): a row is one object literal whose
 * values are read straight from the typed arrays, a struct a nested literal, where rows made
 * by a reader per column called per value (batch-to-rows.ts) spent most of collect() in
 * those calls; batches are not joined first. Values are those of toExternal(valueAt(v, i),
 * type) on the batches joined; a column of another kind is read by `fallback`. With `share`,
 * a timestamp or date column whose instants repeat (sampled over all the batches) hands out
 * one Date per instant across the batches (rows/shared-dates.ts), as over the joined batch.
 * Null when a field name at any depth is `__proto__`, which a literal would take as the
 * prototype: the caller then uses its readers.
 */
export function compiledRows(schema: StructType, batches: readonly ColumnBatch[], share: boolean, fallback: FallbackReader): Row[] | null {
  if (namesProto(schema)) return null;
  const total = batches.reduce((n, b) => n + b.numRows, 0);
  const out: Row[] = new Array(total);
  const dates = new SharedDates(batches, share);
  let o = 0;
  for (const batch of batches) {
    const n = batch.numRows;
    if (n === 0) continue;
    const c = new LoopSource(n, dates, fallback);
    const body = schema.fields.map((f, k) => `${JSON.stringify(f.name)}: ${c.value(batch.columns[k]!, f.dataType, [k])}`).join(", ");
    const loop = loopOf(`"use strict";\n${c.prelude()}\nfor (let i = 0; i < n; i++) out[o + i] = { ${body} };`);
    if (loop === null) return null;
    loop(c.bound, n, out, o);
    o += n;
  }
  return out;
}

/** The compiled loop, or null where the runtime forbids generating code (`--disallow-code-generation-from-strings`). */
function loopOf(source: string): RowLoop | null {
  let loop = loops.get(source);
  if (loop === undefined) {
    if (loops.size >= 200) loops.clear();
    try {
      loop = new Function("a", "n", "out", "o", source) as RowLoop;
    } catch (e) {
      if (e instanceof EvalError) return null;
      throw e;
    }
    loops.set(source, loop);
  }
  return loop;
}

function namesProto(type: DataType): boolean {
  return type.kind === "struct" && type.fields.some((f) => f.name === "__proto__" || namesProto(f.dataType));
}

/** Per timestamp or date column (by its path of field indexes): the maker of its shared Dates, or null where it does not share. */
class SharedDates {
  readonly #makers = new Map<string, ((value: number) => Date) | null>();

  constructor(readonly batches: readonly ColumnBatch[], readonly share: boolean) {}

  makerOf(path: readonly number[], make: (value: number) => Date): ((value: number) => Date) | null {
    if (!this.share) return null;
    const key = path.join(".");
    let maker = this.#makers.get(key);
    if (maker === undefined) {
      const parts = this.batches.map((b) => path.slice(1).reduce((v, k) => (v as Extract<Vec, { kind: "struct" }>).children[k]!, b.columns[path[0]!]!) as NumVec);
      maker = repeatsInstantsAcross(parts) ? sharedDateMaker(make) : null;
      this.#makers.set(key, maker);
    }
    return maker;
  }
}

/** The text of one row's values, and the arrays and functions it reads (`a0`, `a1`, …). */
class LoopSource {
  readonly bound: unknown[] = [];
  readonly #lets: string[] = ["x"];

  constructor(readonly n: number, readonly dates: SharedDates, readonly fallback: FallbackReader) {}

  #bind(value: unknown): string {
    this.bound.push(value);
    return `a${this.bound.length - 1}`;
  }

  prelude(): string {
    const consts = this.bound.map((_, k) => `a${k} = a[${k}]`);
    return `${consts.length > 0 ? `const ${consts.join(", ")};\n` : ""}let ${this.#lets.join(", ")};`;
  }

  value(v: Vec, type: DataType, path: readonly number[]): string {
    const present = this.#present(v, type, path);
    return v.valid === null ? present : `(${this.#bind(v.valid)}[i] === 0 ? null : ${present})`;
  }

  #present(v: Vec, type: DataType, path: readonly number[]): string {
    if (v.kind === "num" && v.exact === undefined) {
      switch (type.kind) {
        case "timestamp": case "timestamp_ntz": return this.#dates(v, dateOfMicros, path);
        case "date": return this.#dates(v, dateOfDays, path);
        case "long": return `(Number.isSafeInteger(x = ${this.#bind(v.values)}[i]) ? x : BigInt(Math.trunc(x)))`;
        case "byte": case "short": case "int": case "float": case "double": return `${this.#bind(v.values)}[i]`;
        default: break;
      }
    } else if (v.kind === "str" && type.kind === "string") {
      return `(${this.#bind(v.dict)}[${this.#bind(v.codes)}[i]] ?? null)`;
    } else if (v.kind === "bool" && type.kind === "boolean") {
      return `(${this.#bind(v.values)}[i] === 1)`;
    } else if (v.kind === "struct" && type.kind === "struct" && v.children.length === type.fields.length) {
      return `{ ${type.fields.map((f, k) => `${JSON.stringify(f.name)}: ${this.value(v.children[k]!, f.dataType, [...path, k])}`).join(", ")} }`;
    }
    return `${this.#bind(this.fallback(v, type, this.n, false))}(i)`;
  }

  /** A column's Dates: one per row, or one shared per instant, the last one kept at hand. */
  #dates(v: NumVec, make: (value: number) => Date, path: readonly number[]): string {
    const vals = this.#bind(v.values);
    const shared = this.dates.makerOf(path, make);
    if (shared === null) return `${this.#bind(make)}(${vals}[i])`;
    const k = this.#lets.length;
    this.#lets.push(`lv${k} = NaN`, `ld${k} = null`);
    return `((x = ${vals}[i]) === lv${k} ? ld${k} : (lv${k} = x, ld${k} = ${this.#bind(shared)}(x)))`;
  }
}
