import type { Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import type { DataType, StructType } from "../../types/data-types.ts";

/**
 * A vector as a state store keeps it: its typed arrays and values without its type (the
 * operator's schema gives the type back), so the store serializes a buffered chunk of rows
 * as a few arrays rather than one value per row. Strings keep only the dictionary entries
 * their codes use.
 */
export type StoredVec =
  | { readonly kind: "num"; readonly values: Float64Array | Int32Array; readonly exact?: BigInt64Array | undefined; readonly valid: Uint8Array | null }
  | { readonly kind: "bool"; readonly values: Uint8Array; readonly valid: Uint8Array | null }
  | { readonly kind: "str"; readonly codes: Int32Array; readonly dict: readonly string[]; readonly valid: Uint8Array | null }
  | { readonly kind: "struct"; readonly children: readonly StoredVec[]; readonly valid: Uint8Array | null }
  | { readonly kind: "obj"; readonly values: readonly unknown[]; readonly valid: Uint8Array | null };

export function storedVec(v: Vec): StoredVec {
  switch (v.kind) {
    case "num": return v.exact === undefined ? { kind: "num", values: v.values, valid: v.valid } : { kind: "num", values: v.values, exact: v.exact, valid: v.valid };
    case "bool": return { kind: "bool", values: v.values, valid: v.valid };
    case "str": {
      if (v.dict.length <= v.length) return { kind: "str", codes: v.codes, dict: v.dict, valid: v.valid };
      const renumber = new Int32Array(v.dict.length).fill(-1);
      const dict: string[] = [];
      const codes = new Int32Array(v.length);
      for (let i = 0; i < v.length; i++) {
        if (v.valid !== null && v.valid[i] === 0) continue;
        const c = v.codes[i]!;
        if (renumber[c]! < 0) { renumber[c] = dict.length; dict.push(v.dict[c]!); }
        codes[i] = renumber[c]!;
      }
      return { kind: "str", codes, dict, valid: v.valid };
    }
    case "struct": return { kind: "struct", children: v.children.map(storedVec), valid: v.valid };
    case "obj": return { kind: "obj", values: v.values, valid: v.valid };
  }
}

export function loadedVec(type: DataType, s: StoredVec, length: number): Vec {
  switch (s.kind) {
    case "num": return s.exact === undefined ? { kind: "num", type, length, values: s.values, valid: s.valid } : { kind: "num", type, length, values: s.values, exact: s.exact, valid: s.valid };
    case "bool": return { kind: "bool", type, length, values: s.values, valid: s.valid };
    case "str": return { kind: "str", type, length, codes: s.codes, dict: s.dict, valid: s.valid };
    case "struct": {
      if (type.kind !== "struct") throw new InternalError(`stored struct vector for a ${type.kind} column`);
      const st = type as StructType;
      return { kind: "struct", type: st, length, children: s.children.map((c, k) => loadedVec(st.fields[k]!.dataType, c, length)), valid: s.valid };
    }
    case "obj": return { kind: "obj", type, length, values: s.values, valid: s.valid };
  }
}
