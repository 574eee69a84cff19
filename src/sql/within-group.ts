import { AnalysisError } from "../common/errors.ts";
import { AggregateCall, Literal, type Expression, type SortOrder } from "../expr/expression.ts";
import { BooleanType } from "../types/data-types.ts";
import { functionCall } from "./function-call.ts";

/**
 * `percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC])` (Spark 3.4+), Spark's PercentileCont (its
 * Percentile's linear interpolation of x, at 1 − p when the order is descending);
 * `percentile_disc(p) WITHIN GROUP (ORDER BY x [DESC])`, Spark's PercentileDisc; and Spark 4's
 * `mode() WITHIN GROUP (ORDER BY x)`.
 */
export function withinGroupCall(name: string, args: readonly Expression[], order: SortOrder, distinct: boolean): Expression {
  const lower = name.toLowerCase();
  if (lower === "mode" && args.length === 0 && !distinct && order.ascending) {
    // Spark 4's mode() WITHIN GROUP (ORDER BY x): among equally frequent values the smallest, as mode(x) here.
    return functionCall({ name: "mode", args: [order.child], distinct: false, star: false });
  }
  if (lower !== "percentile_cont" && lower !== "percentile_disc") {
    throw new AnalysisError(
      `[INVALID_WITHIN_GROUP_EXPRESSION.UNSUPPORTED_FUNCTION] Invalid function \`${name}\` with WITHIN GROUP: rivulet supports percentile_cont, percentile_disc and mode() (ascending) only.`,
    );
  }
  if (distinct) throw new AnalysisError(`[INVALID_WITHIN_GROUP_EXPRESSION.DISTINCT_UNSUPPORTED] Invalid function \`${name}\` with WITHIN GROUP. The function does not support DISTINCT with WITHIN GROUP.`);
  if (args.length !== 1) {
    throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 1 parameters but the actual number is ${args.length}.`);
  }
  // Spark's PercentileCont and PercentileDisc: x at p, in the order given (the descending flag last).
  return AggregateCall.create(lower, [order.child, args[0]!, Literal.create(!order.ascending, BooleanType)], false);
}
