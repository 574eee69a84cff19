import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { MapType, NullType, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** The one type of every other argument from `from` (keys from 0, values from 1), as Spark coerces map()'s arguments. */
function commonType(args: readonly { dataType: DataType }[], what: string): DataType {
  let t: DataType = NullType;
  for (const a of args) {
    const w = widerType(t, a.dataType);
    if (w === null) throw new AnalysisError(`[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "map": the ${what} should all be the same type`);
    t = w;
  }
  return t; // map() is MAP<VOID, VOID>, as Spark's CreateMap (it widens to any map)
}

/**
 * `map(k1, v1, k2, v2, …)`: a map of its key/value arguments (keys and values each coerced
 * to one type). A null key or a key given twice fails, as Spark's default
 * `spark.sql.mapKeyDedupPolicy=EXCEPTION`.
 */
const mapFunction: ScalarFunction = {
  name: "map",
  resolve(args) {
    if (args.length % 2 !== 0) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`map\` requires an even number of parameters, but the actual number is ${args.length}.`);
    const typed = args.map((a) => ({ expr: a, dataType: typeOf(a) }));
    const keyType = commonType(typed.filter((_, i) => i % 2 === 0), "keys");
    const valueType = commonType(typed.filter((_, i) => i % 2 === 1), "values");
    return { args: args.map((a, i) => castIfNeeded(a, i % 2 === 0 ? keyType : valueType)), dataType: MapType(keyType, valueType) };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, (values) => {
    const out = new Map<unknown, unknown>();
    for (let i = 0; i < values.length; i += 2) {
      const key = values[i];
      if (key === null) throw new ExecutionError("[NULL_MAP_KEY] Cannot use null as map key.");
      if (out.has(key)) throw new ExecutionError(`[DUPLICATED_MAP_KEY] Duplicate map key ${String(key)} was found, please check the input data.`);
      out.set(key, values[i + 1]);
    }
    return out;
  }, false),
};

export const mapFunctions: readonly ScalarFunction[] = [mapFunction];
