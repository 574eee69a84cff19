import { DoubleType } from "../../types/data-types.ts";
import { checkArity, coerceArg } from "../functions/function-args.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { RowAccumulator } from "./row-accumulator.ts";

/** product(x), Spark's Product (3.2): the product of the non-null values as a DOUBLE; null when there are none. */
export const product: AggregateFunction = {
  name: "product",
  resolve(args) {
    checkArity("product", args, 1);
    return { args: [coerceArg("product", args, 0, DoubleType)], dataType: DoubleType };
  },
  createAccumulator: () => new RowAccumulator<number>(DoubleType, {
    skipNullIn: [0],
    add: (b, [v]) => (b ?? 1) * (v as number),
    merge: (a, b) => a * b,
    result: (b) => b ?? null,
  }),
};
