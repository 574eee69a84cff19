import { AnalysisError } from "../../common/errors.ts";
import { LONG_MAX, LONG_MIN, bigIntOfLong, longOfBigInt } from "../../columnar/long-values.ts";
import { StringType, typeName } from "../../types/data-types.ts";
import { castVec } from "../cast.ts";
import { displayExpression } from "../display.ts";
import { castIfNeeded, comparisonType, typeOf } from "../coercion.ts";
import { dataDiffTypes, widerTypeForTwo } from "../type-coercion-wider.ts";
import type { Call } from "../expression.ts";
import { constantVec, mapRows } from "../vec-ops.ts";
import { compareValues } from "./comparison.ts";
import { checkArity } from "./function-args.ts";
import { requireFunction } from "./registry.ts";
import { evaluateOrNull } from "./try-functions.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** typeof, equal_null, nvl2, nullif and the try_ arithmetic functions. */

/** typeof(x): the SQL name of x's type, Spark's `catalogString` ("int", "bigint", "array<string>"). */
const typeofFn: ScalarFunction = {
  name: "typeof",
  nullIntolerant: false,
  resolve(args) {
    checkArity("typeof", args, 1);
    return { args, dataType: StringType };
  },
  evaluate: (_vecs, n, _ctx, call) => constantVec(typeName(typeOf(call.args[0]!)), StringType, n),
};

/** equal_null(a, b): `a <=> b` under its own name. */
const equalNull: ScalarFunction = {
  name: "equal_null",
  nullIntolerant: false,
  resolve(args) {
    checkArity("equal_null", args, 2);
    return requireFunction("eqnullsafe").resolve(args);
  },
  evaluate: (vecs, n, ctx, call) => requireFunction("eqnullsafe").evaluate(vecs, n, ctx, call),
};

/** nvl2(a, b, c): b when a is not null, else c. */
const nvl2: ScalarFunction = {
  name: "nvl2",
  nullIntolerant: false,
  resolve(args) {
    checkArity("nvl2", args, 3);
    // Spark rewrites nvl2 to if(isnotnull(a), b, c): IfCoercion's findWiderTypeForTwo, promoting to string.
    const t = widerTypeForTwo(typeOf(args[1]!), typeOf(args[2]!));
    if (t === null) throw dataDiffTypes(`nvl2(${args.map(displayExpression).join(", ")})`, "nvl2", args.slice(1));
    return { args: [args[0]!, castIfNeeded(args[1]!, t), castIfNeeded(args[2]!, t)], dataType: t };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([a, b, c]) => (a !== null ? b : c), false),
};

/** nullif(a, b): null when a = b (compared in their common type), else a. */
const nullif: ScalarFunction = {
  name: "nullif",
  nullIntolerant: false,
  resolve(args) {
    checkArity("nullif", args, 2);
    const [l, r] = [typeOf(args[0]!), typeOf(args[1]!)];
    if (comparisonType(l, r) === null) {
      throw new AnalysisError(
        `[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "(${displayExpression(args[0]!)} = ${displayExpression(args[1]!)})" due to data type mismatch: ` +
        `the left and right operands of the binary operator have incompatible types ("${typeName(l).toUpperCase()}" and "${typeName(r).toUpperCase()}").`,
      );
    }
    return { args, dataType: l };
  },
  evaluate(vecs, n, ctx, call) {
    const common = comparisonType(typeOf(call.args[0]!), typeOf(call.args[1]!))!;
    const x = castVec(vecs[0]!, common, ctx), y = castVec(vecs[1]!, common, ctx);
    return mapRows([vecs[0]!, x, y], n, call.dataType!, ([a, p, q]) => (p !== null && q !== null && compareValues(p, q) === 0 ? null : a), false);
  },
};

const INT_MIN = -2147483648, INT_MAX = 2147483647;

/**
 * try_add, try_subtract, try_multiply, try_divide: the operator's types and result, with
 * null where the operator would overflow (int and bigint results) or divide by zero.
 */
function tryArithmetic(name: string, operator: string, exact: (a: bigint, b: bigint) => bigint, approx: (a: number, b: number) => number): ScalarFunction {
  const op = (): ScalarFunction => requireFunction(operator);
  return {
    name,
    display: (a) => `${name}(${a.join(", ")})`,
    resolve(args) {
      checkArity(name, args, 2);
      return op().resolve(args);
    },
    evaluate(vecs, n, ctx, call) {
      const type = call.dataType!;
      if (type.kind === "int") {
        return mapRows(vecs, n, type, ([a, b]) => {
          const r = approx(a as number, b as number);
          return r < INT_MIN || r > INT_MAX ? null : r;
        });
      }
      if (type.kind === "long" && operator !== "divide") {
        return mapRows(vecs, n, type, ([a, b]) => {
          const r = exact(bigIntOfLong(a as number | bigint), bigIntOfLong(b as number | bigint));
          return r < LONG_MIN || r > LONG_MAX ? null : longOfBigInt(r);
        });
      }
      // Intervals and decimals: the operator's own errors (an interval divided by zero) become null.
      return evaluateOrNull(op(), vecs, n, ctx, call as Call);
    },
  };
}

export const miscFunctions: ScalarFunction[] = [
  typeofFn,
  equalNull,
  nvl2,
  nullif,
  tryArithmetic("try_add", "add", (a, b) => a + b, (a, b) => a + b),
  tryArithmetic("try_subtract", "subtract", (a, b) => a - b, (a, b) => a - b),
  tryArithmetic("try_multiply", "multiply", (a, b) => a * b, (a, b) => a * b),
  tryArithmetic("try_divide", "divide", (a, b) => a / b, (a, b) => a / b),
];
