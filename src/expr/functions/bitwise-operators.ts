import { bigIntOfLong, longOfBigInt } from "../../columnar/long-values.ts";
import { AnalysisError } from "../../common/errors.ts";
import { IntegerType, isIntegral, typeName, type DataType } from "../../types/data-types.ts";
import { displayExpression } from "../display.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * Spark's BitwiseAnd `a & b`, BitwiseOr `a | b`, BitwiseXor `a ^ b` and BitwiseNot `~a` (also
 * callable by those names): integral operands, widened to the wider of the two; the result has
 * that type, in Java's two's complement.
 */

const RANK: Record<string, number> = { byte: 0, short: 1, int: 2, long: 3 };

function operandType(name: string, args: Parameters<ScalarFunction["resolve"]>[0], k: number): DataType | null {
  const t = typeOf(args[k]!);
  if (t.kind === "null") return null;
  if (isIntegral(t)) return t;
  if (args.length === 1) throw typeMismatch(name, args, k, "integral");
  const call = `(${displayExpression(args[0]!)} ${name} ${displayExpression(args[1]!)})`;
  throw new AnalysisError(
    `[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] Cannot resolve "${call}" due to data type mismatch: ` +
    `the binary operator requires the input type "INTEGRAL", not "${typeName(t).toUpperCase()}".`,
  );
}

function binary(name: string, int: (a: number, b: number) => number, long: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return {
    name,
    display: ([a, b]) => `(${a} ${name} ${b})`,
    resolve(args) {
      checkArity(name, args, 2);
      const [l, r] = [operandType(name, args, 0), operandType(name, args, 1)];
      const type = l === null ? r ?? IntegerType : r === null ? l : RANK[l.kind]! >= RANK[r.kind]! ? l : r;
      return { args: args.map((a) => castIfNeeded(a, type)), dataType: type };
    },
    evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([a, b]) =>
      call.dataType!.kind === "long"
        ? longOfBigInt(BigInt.asIntN(64, long(bigIntOfLong(a as number | bigint), bigIntOfLong(b as number | bigint))))
        : int(a as number, b as number)),
  };
}

const bitwiseNot: ScalarFunction = {
  name: "~",
  display: ([a]) => `~${a}`,
  resolve(args) {
    checkArity("~", args, 1);
    const type = operandType("~", args, 0) ?? IntegerType;
    return { args: [castIfNeeded(args[0]!, type)], dataType: type };
  },
  evaluate: (vecs, n, _ctx, call) => mapRows(vecs, n, call.dataType!, ([a]) =>
    call.dataType!.kind === "long" ? longOfBigInt(BigInt.asIntN(64, ~bigIntOfLong(a as number | bigint))) : ~(a as number)),
};

export const bitwiseOperators: ScalarFunction[] = [
  binary("&", (a, b) => a & b, (a, b) => a & b),
  binary("|", (a, b) => a | b, (a, b) => a | b),
  binary("^", (a, b) => a ^ b, (a, b) => a ^ b),
  bitwiseNot,
];
