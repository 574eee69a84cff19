import { AnalysisError } from "../common/errors.ts";
import { typeOf } from "../expr/coercion.ts";
import { displayExpression } from "../expr/display.ts";
import { AggregateCall, Case, Literal, type Expression } from "../expr/expression.ts";
import { IntegerType } from "../types/data-types.ts";

/** Aggregates that count a row with a null argument (unless told to ignore nulls): a filter cannot become a null. */
const RESPECTING_NULLS = new Set(["first", "last", "first_value", "last_value", "any_value"]);

/**
 * `agg(x) FILTER (WHERE cond)` as an ordinary aggregate over `CASE WHEN cond THEN x END`:
 * a row the filter rejects gives the aggregate a null, which it skips, as if the row were
 * not there (count(*) counts `CASE WHEN cond THEN 1 END`). The argument that makes a row
 * count is the value, or the ordering for max_by/min_by. The output keeps the name Spark
 * gives the filtered call, from the unfolded expression.
 */
export function foldAggregateFilter(call: AggregateCall): AggregateCall {
  const filter = call.filter;
  if (filter === undefined) return call;
  const onlyIf = (e: Expression): Expression => Case.create([[filter, e]], null, typeOf(e));
  if (RESPECTING_NULLS.has(call.name)) {
    const ignoresNulls = call.args[1]?.kind === "Literal" && call.args[1].value === true;
    if (!ignoresNulls) {
      throw new AnalysisError(`FILTER (WHERE …) on ${displayExpression(call)}: ${call.name} counts rows whose value is null; add IGNORE NULLS (${call.name}(x) FILTER (WHERE …) IGNORE NULLS) or filter the rows before aggregating`);
    }
  }
  const counted = call.name === "max_by" || call.name === "min_by" ? 1 : 0;
  const args = call.args.length === 0 || (call.name === "count" && call.args[0]!.kind === "Star")
    ? [onlyIf(Literal.create(1, IntegerType))]
    : call.args.map((a, k) => (k === counted ? onlyIf(a) : a));
  return AggregateCall.create(call.name, args, call.distinct, call.dataType);
}
