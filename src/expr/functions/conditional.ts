import { BooleanType, NullType, type DataType } from "../../types/data-types.ts";
import { displayExpression } from "../display.ts";
import { dataDiffTypes, widerCommonType } from "../type-coercion-wider.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import type { Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { wrongNumArgs } from "./function-args.ts";
import { compareValues } from "./comparison.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * The common type of coalesce's and if's values: Spark's findWiderCommonType, promoting a
 * number met with a string to string (`coalesce(NULL, 1, 'a')` is a string); greatest and
 * least do not promote to string (findWiderTypeWithoutStringPromotion).
 */
function commonType(fn: string, args: readonly Expression[], promoteStrings: boolean): DataType {
  const types = args.map(typeOf);
  const t = promoteStrings ? widerCommonType(types) : types.reduce<DataType | null>((a, b) => (a === null ? null : widerType(a, b)), NullType);
  if (t === null) throw dataDiffTypes(`${fn}(${args.map(displayExpression).join(", ")})`, fn, args);
  return t;
}

/** coalesce(a, b, …): the first non-null argument. */
const coalesce: ScalarFunction = {
  name: "coalesce",
  aliases: ["nvl", "ifnull"],
  nullIntolerant: false,
  resolve(args) {
    if (args.length === 0) throw wrongNumArgs("coalesce", 0, 1, Infinity);
    const t = commonType("coalesce", args, true);
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
    const t = commonType("if", args.slice(1), true);
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
      const t = commonType(name, args, false);
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
