import { AnalysisError } from "../../common/errors.ts";
import { BooleanType, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { wrongNumArgs } from "./function-args.ts";
import { compareValues } from "./comparison.ts";
import type { ScalarFunction } from "./scalar-function.ts";

function commonType(fn: string, args: readonly Expression[]): DataType {
  let t = typeOf(args[0]!);
  for (const a of args.slice(1)) {
    const w = widerType(t, typeOf(a));
    if (!w) throw new AnalysisError(`${fn}: arguments have incompatible types ${typeName(t)} and ${typeName(typeOf(a))}`);
    t = w;
  }
  return t;
}

/** coalesce(a, b, …): the first non-null argument. */
const coalesce: ScalarFunction = {
  name: "coalesce",
  aliases: ["nvl", "ifnull"],
  nullIntolerant: false,
  resolve(args) {
    if (args.length === 0) throw wrongNumArgs("coalesce", 0, 1, Infinity);
    const t = commonType("coalesce", args);
    return { args: args.map((a) => castIfNeeded(a, t)), dataType: t };
  },
  evaluate(vecs, n, _ctx, call) {
    return mapRows(vecs, n, call.dataType!, (vals) => vals.find((v) => v !== null) ?? null, false);
  },
};

/** if(cond, a, b) */
const ifFn: ScalarFunction = {
  name: "if",
  aliases: ["iff"],
  nullIntolerant: false,
  resolve(args) {
    if (args.length !== 3) throw wrongNumArgs("if", args.length, 3);
    const t = commonType("if", args.slice(1));
    return { args: [castIfNeeded(args[0]!, BooleanType), castIfNeeded(args[1]!, t), castIfNeeded(args[2]!, t)], dataType: t };
  },
  evaluate(vecs, n, _ctx, call) {
    return mapRows(vecs, n, call.dataType!, ([c, a, b]) => (c === true ? a : b), false);
  },
};

function extremeOf(name: "greatest" | "least"): ScalarFunction {
  return {
    name,
    nullIntolerant: false,
    resolve(args) {
      if (args.length < 2) throw wrongNumArgs(name, args.length, 2, Infinity);
      const t = commonType(name, args);
      return { args: args.map((a) => castIfNeeded(a, t)), dataType: t };
    },
    evaluate(vecs, n, _ctx, call) {
      return mapRows(vecs, n, call.dataType!, (vals) => {
        let best: unknown = null;
        // compareValues: Spark's order (NaN above every number, decimals and strings by value).
        for (const v of vals) if (v !== null && (best === null || (name === "greatest" ? compareValues(v, best) > 0 : compareValues(v, best) < 0))) best = v;
        return best;
      }, false);
    },
  };
}

export const conditionalFunctions: ScalarFunction[] = [coalesce, ifFn, extremeOf("greatest"), extremeOf("least")];
