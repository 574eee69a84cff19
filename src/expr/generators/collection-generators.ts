import type { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { IntegerType, StructField, type ArrayType, type MapType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { typeMismatch } from "../functions/function-args.ts";
import type { Expression } from "../expression.ts";
import { registerGenerators, type GeneratorFunction } from "./generator.ts";
import { checkGeneratorArity } from "./generator-args.ts";

/** explode/posexplode's input: an array (→ `col`) or a map (→ `key`, `value`). */
function collectionFields(call: string, args: readonly Expression[]): StructField[] {
  checkGeneratorArity(call, args, 1);
  const t = typeOf(args[0]!);
  if (t.kind === "array") return [StructField("col", t.elementType, (t as ArrayType).containsNull)];
  if (t.kind === "map") return [StructField("key", (t as MapType).keyType, false), StructField("value", t.valueType, t.valueContainsNull)];
  throw typeMismatch(call, args, 0, "array or map");
}

/** Appends row i's elements (with their position when `withPos`) and returns how many. */
function explodeRow(withPos: boolean) {
  return (argVecs: readonly Vec[], i: number, out: readonly VecBuilder[]): number => {
    const value = valueAt(argVecs[0]!, i);
    if (value === null) return 0;
    const first = withPos ? 1 : 0;
    if (value instanceof Map) {
      let n = 0;
      for (const [k, v] of value) {
        if (withPos) out[0]!.append(n);
        out[first]!.append(k);
        out[first + 1]!.append(v);
        n++;
      }
      return n;
    }
    const items = value as readonly unknown[];
    for (let k = 0; k < items.length; k++) {
      if (withPos) out[0]!.append(k);
      out[first]!.append(items[k]);
    }
    return items.length;
  };
}

/** `explode(array | map)`: one row per element (`col`) or entry (`key`, `value`). */
const explode: GeneratorFunction = {
  name: "explode",
  resolve: (call, args) => ({ args, fields: collectionFields(call, args) }),
  compile: () => explodeRow(false),
};

/** `posexplode(array | map)`: as explode, with the element's position first (`pos INT`, from 0). */
const posexplode: GeneratorFunction = {
  name: "posexplode",
  resolve: (call, args) => ({ args, fields: [StructField("pos", IntegerType, false), ...collectionFields(call, args)] }),
  compile: () => explodeRow(true),
};

/** `inline(array<struct>)`: one row per struct, one column per field; a null struct gives a row of nulls. */
const inline: GeneratorFunction = {
  name: "inline",
  resolve: (call, args) => {
    checkGeneratorArity(call, args, 1);
    const t = typeOf(args[0]!);
    if (t.kind !== "array" || t.elementType.kind !== "struct") throw typeMismatch(call, args, 0, "array<struct>");
    return { args, fields: t.elementType.fields.map((f) => StructField(f.name, f.dataType, true)) };
  },
  compile: (_args, fields) => (argVecs, i, out) => {
    const items = valueAt(argVecs[0]!, i) as readonly (Record<string, unknown> | null)[] | null;
    if (items === null) return 0;
    for (const item of items) {
      for (let k = 0; k < fields.length; k++) out[k]!.append(item === null ? null : item[fields[k]!.name]);
    }
    return items.length;
  },
};

registerGenerators([explode, posexplode, inline]);
