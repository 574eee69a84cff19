import { keyString } from "../../columnar/key-string.ts";
import { ArrayType, typeName } from "../../types/data-types.ts";
import { AnalysisError } from "../../common/errors.ts";
import { typeOf } from "../coercion.ts";
import type { AggregateCall } from "../expression.ts";
import { compareValues } from "../functions/comparison.ts";
import { checkArity } from "../functions/function-args.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { RowAccumulator } from "./row-accumulator.ts";

/** collect_list/array_agg, collect_set, mode, max_by/min_by: aggregates that keep values. */

const collectList: AggregateFunction = {
  name: "collect_list",
  aliases: ["array_agg"],
  resolve(args) {
    checkArity("collect_list", args, 1);
    return { args, dataType: ArrayType(typeOf(args[0]!), false) };
  },
  createAccumulator: (call: AggregateCall) => new RowAccumulator<unknown[]>(call.dataType!, {
    add: (b, [x]) => { (b ??= []).push(x); return b; },
    merge: (a, b) => { for (const x of b) a.push(x); return a; },
    // A copy: the buffer keeps growing in later batches, and rows already handed to a sink must not change.
    result: (b) => (b === undefined ? [] : b.slice()),
  }),
};

/** Distinct values keyed by their key string (a Map keeps the order they came in). */
const collectSet: AggregateFunction = {
  name: "collect_set",
  resolve(args) {
    checkArity("collect_set", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind === "map") throw new AnalysisError(`[DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE] Cannot resolve "collect_set(${args[0]!.kind})" due to data type mismatch: The input of \`collect_set\` can't be "${typeName(t).toUpperCase()}" type data.`);
    return { args, dataType: ArrayType(t, false) };
  },
  createAccumulator: (call: AggregateCall) => new RowAccumulator<Map<string, unknown>>(call.dataType!, {
    add: (b, [x]) => { (b ??= new Map()).set(keyString([x]), x); return b; },
    merge: (a, b) => { for (const [k, x] of b) a.set(k, x); return a; },
    result: (b) => (b === undefined ? [] : [...b.values()]),
  }),
};

/** mode(x): the most frequent non-null value; among equally frequent ones, the smallest. */
const mode: AggregateFunction = {
  name: "mode",
  resolve(args) {
    checkArity("mode", args, 1);
    return { args, dataType: typeOf(args[0]!) };
  },
  createAccumulator: (call: AggregateCall) => new RowAccumulator<Map<string, [unknown, number]>>(call.dataType!, {
    add: (b, [x]) => {
      b ??= new Map();
      const k = keyString([x]);
      const e = b.get(k);
      if (e === undefined) b.set(k, [x, 1]); else e[1]++;
      return b;
    },
    merge: (a, b) => {
      for (const [k, [x, c]] of b) { const e = a.get(k); if (e === undefined) a.set(k, [x, c]); else e[1] += c; }
      return a;
    },
    result: (b) => {
      if (b === undefined) return null;
      let best: [unknown, number] | null = null;
      for (const e of b.values()) if (best === null || e[1] > best[1] || (e[1] === best[1] && compareValues(e[0], best[0]) < 0)) best = e;
      return best![0];
    },
  }),
};

/** max_by(x, ord) / min_by(x, ord): x of the row with the largest (smallest) non-null ord. */
function extremeBy(name: "max_by" | "min_by"): AggregateFunction {
  const better = name === "max_by" ? (c: number) => c > 0 : (c: number) => c < 0;
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      const t = typeOf(args[1]!);
      if (t.kind === "map") throw new AnalysisError(`[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] Cannot resolve "${name}" due to data type mismatch: The \`${name}\` does not support ordering on type "${typeName(t).toUpperCase()}".`);
      return { args, dataType: typeOf(args[0]!) };
    },
    createAccumulator: (call: AggregateCall) => new RowAccumulator<[unknown, unknown]>(call.dataType!, {
      skipNullIn: [1],
      add: (b, [x, ord]) => (b === undefined || better(compareValues(ord, b[1])) ? [x, ord] : b),
      merge: (a, b) => (better(compareValues(b[1], a[1])) ? b : a),
      result: (b) => (b === undefined ? null : b[0]),
    }),
  };
}

export const collectAggregates: AggregateFunction[] = [collectList, collectSet, mode, extremeBy("max_by"), extremeBy("min_by")];
