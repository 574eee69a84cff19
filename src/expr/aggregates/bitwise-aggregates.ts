import { AnalysisError } from "../../common/errors.ts";
import { longOfBigInt } from "../../columnar/long-values.ts";
import { isIntegral, typeName } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { RowAccumulator } from "./row-accumulator.ts";

/** bit_and, bit_or, bit_xor over an integral column: the input's type; null when every value is null. */
function bitwiseAggregate(name: string, op: (a: bigint, b: bigint) => bigint): AggregateFunction {
  return {
    name,
    resolve(args) {
      if (args.length !== 1) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 1 parameters but the actual number is ${args.length}.`);
      const t = typeOf(args[0]!);
      if (!isIntegral(t)) throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${name}" due to data type mismatch: Parameter 1 requires the "INTEGRAL" type, however it has the type "${typeName(t).toUpperCase()}".`);
      return { args, dataType: t };
    },
    createAccumulator: (call) => new RowAccumulator<bigint>(call.dataType!, {
      add: (acc, [v]) => (acc === undefined ? BigInt(v as number | bigint) : op(acc, BigInt(v as number | bigint))),
      merge: op,
      result: (acc) => (acc === undefined ? null : call.dataType!.kind === "long" ? longOfBigInt(BigInt.asIntN(64, acc)) : Number(acc)),
    }),
  };
}

export const bitwiseAggregates: AggregateFunction[] = [
  bitwiseAggregate("bit_and", (a, b) => a & b),
  bitwiseAggregate("bit_or", (a, b) => a | b),
  bitwiseAggregate("bit_xor", (a, b) => a ^ b),
];
