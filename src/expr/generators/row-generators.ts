import { AnalysisError } from "../../common/errors.ts";
import { valueAt } from "../../columnar/vector.ts";
import { StringType, StructField, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { coerceArg } from "../functions/function-args.ts";
import type { Expression } from "../expression.ts";
import { registerGenerators, type GeneratorFunction } from "./generator.ts";
import { checkGeneratorArity } from "./generator-args.ts";
import { jsonObjectFields } from "./json-object-fields.ts";

/**
 * `json_tuple(json, 'a', 'b', …)`: one row per input row, one STRING column per field (`c0`,
 * `c1`, …), as json-object-fields.ts reads them; null when the field is missing, JSON null, or
 * the document malformed.
 */
const jsonTuple: GeneratorFunction = {
  name: "json_tuple",
  resolve: (call, args) => {
    checkGeneratorArity(call, args, "> 1", args.length > 1);
    if (args.slice(1).some((a) => typeOf(a).kind !== "string")) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.NON_STRING_TYPE] Cannot resolve "${call}(${args.map(displayExpression).join(", ")})" due to data type mismatch: all arguments of the function \`${call}\` must be strings.`);
    }
    const json = coerceArg(call, args, 0, StringType);
    return { args: [json, ...args.slice(1)], fields: args.slice(1).map((_, k) => StructField(`c${k}`, StringType, true)) };
  },
  compile: (args) => {
    // The field names are nearly always literals: read them once, not per row.
    const constantNames = args.slice(1).map((a) => (a.kind === "Literal" ? (a.value as string | null) : undefined));
    return (argVecs, i, out) => {
      const text = valueAt(argVecs[0]!, i) as string | null;
      const fields = text === null ? null : jsonObjectFields(text);
      for (let k = 0; k < out.length; k++) {
        const name = constantNames[k] !== undefined ? constantNames[k]! : (valueAt(argVecs[k + 1]!, i) as string | null);
        out[k]!.append(fields === null || name === null ? null : fields.get(name) ?? null);
      }
      return 1;
    };
  },
};

/** The row count of `stack(n, …)`: a constant positive INT. */
function stackRows(call: string, n: Expression): number {
  const t = typeOf(n);
  if (n.kind !== "Literal" || (t.kind !== "int" && t.kind !== "long" && t.kind !== "short" && t.kind !== "byte")) {
    throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${call}(${displayExpression(n)}, …)" due to data type mismatch: the input n should be a foldable "INT" expression; however, got "${displayExpression(n)}".`);
  }
  const rows = Number(n.value);
  if (!(rows > 0)) throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "${call}(${rows}, …)" due to data type mismatch: The \`n\` must be greater than 0, but got ${rows}.`);
  return rows;
}

/**
 * `stack(n, v1, …, vk)`: each input row becomes n rows of ceil(k / n) columns (`col0`, …),
 * filled row by row; missing trailing values are null. Values of one column share a type.
 */
const stack: GeneratorFunction = {
  name: "stack",
  resolve: (call, args) => {
    checkGeneratorArity(call, args, "> 1", args.length > 1);
    const rows = stackRows(call, args[0]!);
    const values = args.slice(1);
    const width = Math.ceil(values.length / rows);
    const types: DataType[] = [];
    for (let c = 0; c < width; c++) {
      let type: DataType | null = null;
      for (let r = 0; r < rows; r++) {
        const v = values[r * width + c];
        if (v === undefined) continue;
        const w: DataType | null = type === null ? typeOf(v) : widerType(type, typeOf(v));
        if (w === null) {
          throw new AnalysisError(`[DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES] Cannot resolve "${call}(…)" due to data type mismatch: The data type of the column (${c}) do not have the same type: "${typeName(type!).toUpperCase()}" and "${typeName(typeOf(v)).toUpperCase()}".`);
        }
        type = w;
      }
      types.push(type!);
    }
    const cast = values.map((v, k) => castIfNeeded(v, types[k % width]!));
    return { args: [args[0]!, ...cast], fields: types.map((t, c) => StructField(`col${c}`, t, true)) };
  },
  compile: (args, fields) => {
    const width = fields.length;
    const rows = Number((args[0] as { value: unknown }).value);
    return (argVecs, i, out) => {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < width; c++) {
          const v = argVecs[1 + r * width + c];
          out[c]!.append(v === undefined ? null : valueAt(v, i));
        }
      }
      return rows;
    };
  },
};

registerGenerators([jsonTuple, stack]);
