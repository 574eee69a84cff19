import { AnalysisError } from "../common/errors.ts";
import { Literal, type Expression, type SortOrder } from "../expr/expression.ts";
import { BooleanType, DoubleType } from "../types/data-types.ts";
import { functionCall } from "./function-call.ts";

/**
 * `percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC])` (Spark 3.4+): Spark's PercentileCont is
 * its Percentile (linear interpolation) of x, at 1 − p when the order is descending;
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
  const p = args[0]!;
  if (lower === "percentile_disc") {
    // Spark's PercentileDisc: the value whose cumulative distribution first reaches p, in the order given.
    return functionCall({ name: "percentile_disc", args: [order.child, p, Literal.create(!order.ascending, BooleanType)], distinct: false, star: false });
  }
  if (order.ascending) return functionCall({ name: "percentile", args: [order.child, p], distinct: false, star: false });
  const value = literalNumber(p);
  if (value === undefined) {
    throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${name}" due to data type mismatch: the input \`percentage\` should be a foldable "DOUBLE" expression.`);
  }
  // Out-of-range percentages keep their own error: percentile() reports 1 − p only when p is in [0, 1].
  const reversed = value >= 0 && value <= 1 ? 1 - value : value;
  return functionCall({ name: "percentile", args: [order.child, Literal.create(reversed, DoubleType)], distinct: false, star: false });
}

function literalNumber(e: Expression): number | undefined {
  if (e.kind !== "Literal" || e.value === null) return undefined;
  const t = e.dataType;
  if (t?.kind === "decimal") return Number(e.value) / 10 ** t.scale;
  return typeof e.value === "number" || typeof e.value === "bigint" ? Number(e.value) : undefined;
}
