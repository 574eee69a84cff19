import { ColumnBatch } from "../../columnar/column-batch.ts";
import { isHandedOver } from "../../columnar/handed-over.ts";
import type { Vec } from "../../columnar/vector.ts";

/**
 * A copy of a batch that shares no mutable array with its producer, made without Arrow:
 * typed arrays copied (a memcpy each), dictionaries copied as lists of the same strings.
 * The memory sink keeps what a query emits while the query goes on, and an operator may
 * reuse what it emitted (a group table's dictionary grows in place) — so the sink owns
 * its copy — except of vectors handed over (columnar/handed-over.ts), whose arrays are
 * already nobody else's: of those only the string lists are copied, and not those frozen (a
 * frozen list cannot change). Null when a column holds JS values (arrays, maps, decimals): those take the
 * Arrow round trip that every sink's batch took before, unchanged.
 */
export function detachedBatch(batch: ColumnBatch): ColumnBatch | null {
  const columns: Vec[] = [];
  for (const c of batch.columns) {
    const copy = detachedVec(c, batch.numRows);
    if (copy === null) return null;
    columns.push(copy);
  }
  return new ColumnBatch(batch.schema, columns, batch.numRows);
}

function detachedVec(v: Vec, n: number): Vec | null {
  if (isHandedOver(v) && v.length === n && v.kind !== "obj") return v.kind === "str" ? { ...v, dict: ownDict(v.dict) } : v.kind === "struct" ? detachedStruct(v, n) : v;
  const valid = v.valid === null ? null : v.valid.slice(0, n);
  switch (v.kind) {
    case "num":
      return v.exact === undefined
        ? { kind: "num", type: v.type, length: n, values: v.values.slice(0, n), valid }
        : { kind: "num", type: v.type, length: n, values: v.values.slice(0, n), exact: v.exact.slice(0, n), valid };
    case "bool":
      return { kind: "bool", type: v.type, length: n, values: v.values.slice(0, n), valid };
    case "str":
      return { kind: "str", type: v.type, length: n, codes: v.codes.slice(0, n), dict: ownDict(v.dict), valid };
    case "struct":
      return detachedStruct(v, n);
    case "obj":
      return null;
  }
}

/** A dictionary nobody can change later: a frozen list as it is (an aggregation's output shares one), else a copy. */
function ownDict(dict: readonly string[]): readonly string[] {
  return Object.isFrozen(dict) ? dict : dict.slice();
}

/** A struct's own validity kept (handed over or copied), its children detached one by one. */
function detachedStruct(v: Extract<Vec, { kind: "struct" }>, n: number): Vec | null {
  const children: Vec[] = [];
  for (const c of v.children) {
    const copy = detachedVec(c, n);
    if (copy === null) return null;
    children.push(copy);
  }
  const valid = v.valid === null ? null : isHandedOver(v) ? v.valid : v.valid.slice(0, n);
  return { kind: "struct", type: v.type, length: n, children, valid };
}
