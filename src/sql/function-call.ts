import { timeWindow } from "../expr/time-window.ts";
import { AnalysisError } from "../common/errors.ts";
import { lookupAggregate } from "../expr/aggregates/index.ts";
import { AggregateCall, Call, Literal, Star, type Expression } from "../expr/expression.ts";
import { functionNames, lookupFunction } from "../expr/functions/registry.ts";
import "../expr/functions/index.ts";
import { didYouMean } from "../common/suggest.ts";
import { lookupWindowFunction } from "../expr/window/window-functions.ts";

/**
 * `name(args)` in SQL → the expression the DataFrame function of the same name builds
 * (src/api/functions.ts), including its default arguments, so both forms plan alike.
 */

const AGGREGATE_NAMES = ["count", "sum", "avg", "mean", "min", "max", "first", "last", "approx_count_distinct"];

export interface FunctionCallSyntax {
  readonly name: string;
  readonly args: readonly Expression[];
  readonly distinct: boolean;
  /** `count(*)` */
  readonly star: boolean;
}

export function functionCall({ name, args, distinct, star }: FunctionCallSyntax): Expression {
  const lower = name.toLowerCase();
  if (lower === "window") return windowCall(args);
  const aggName = lower === "mean" ? "avg" : lower;
  if (lookupAggregate(aggName)) {
    if (star) {
      if (aggName !== "count") throw new AnalysisError(`${name}(*) is not allowed: only count(*) takes '*'`);
      return AggregateCall.create("count", [Star.create()], distinct);
    }
    if (args.length === 0) throw new AnalysisError(`${name}() needs an argument`);
    // first(x) / last(x): ignoreNulls defaults to false, as functions.first/last.
    if ((aggName === "first" || aggName === "last") && args.length === 1) return AggregateCall.create(aggName, [args[0]!, Literal.create(false, null)], distinct);
    return AggregateCall.create(aggName, args, distinct);
  }
  if (distinct || star) throw new AnalysisError(`${name}(${star ? "*" : "DISTINCT …"}) is only allowed for aggregate functions`);
  // grouping(a), grouping_id(…): answered per grouping set (plan/grouping-sets.ts).
  if (lower === "grouping" || lower === "grouping_id") return Call.create(lower, args);
  // row_number(), lag(x)…: checked against the OVER clause when resolved.
  if (lookupWindowFunction(lower)) return Call.create(lower, args);
  if (!lookupFunction(lower)) {
    throw new AnalysisError(`[UNRESOLVED_ROUTINE] Cannot resolve function \`${name}\`.${didYouMean(lower, [...functionNames(), ...AGGREGATE_NAMES, "window"])}`);
  }
  // round(x) rounds to 0 places, as functions.round's default scale.
  if (lower === "round" && args.length === 1) return Call.create("round", [args[0]!, Literal.create(0, null)]);
  return Call.create(lower, args);
}

function durationArg(e: Expression | undefined, what: string): string | undefined {
  if (e === undefined) return undefined;
  if (e.kind === "Literal" && typeof e.value === "string") return e.value;
  throw new AnalysisError(`window(): the ${what} must be a string such as '10 minutes' or an INTERVAL literal`);
}

/** window(time, windowDuration[, slideDuration[, startTime]]), checked as functions.window checks it. */
export function windowCall(args: readonly Expression[]): Expression {
  if (args.length < 2 || args.length > 4) throw new AnalysisError(`window() takes 2 to 4 arguments (time column, window duration[, slide duration[, start time]]), got ${args.length}`);
  const windowDuration = durationArg(args[1], "window duration")!;
  const slideDuration = durationArg(args[2], "slide duration");
  const startTime = durationArg(args[3], "start time");
  return timeWindow(args[0]!, windowDuration, slideDuration, startTime);
}
