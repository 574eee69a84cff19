import { timeWindow } from "../expr/time-window.ts";
import { sessionWindow } from "../expr/session-window.ts";
import { AnalysisError } from "../common/errors.ts";
import { lookupAggregate } from "../expr/aggregates/index.ts";
import { AggregateCall, Call, Case, Literal, Star, type Expression } from "../expr/expression.ts";
import { StringType } from "../types/data-types.ts";
import { displayExpression } from "../expr/display.ts";
import { withWrittenName } from "./written-name.ts";
import { lookupFunction } from "../expr/functions/registry.ts";
import type { SqlOrigin } from "../expr/origin.ts";
import { unresolvedRoutineError } from "../expr/unresolved-routine.ts";
import { generatorOf } from "../expr/generators/index.ts";
import "../expr/functions/index.ts";
import { intervalDurationText } from "./literals.ts";
import { castFunction } from "./call-forms.ts";
import { lookupWindowFunction } from "../expr/window/window-functions.ts";

/**
 * `name(args)` in SQL → the expression the DataFrame function of the same name builds
 * (src/api/functions.ts), including its default arguments, so both forms plan alike.
 */

export interface FunctionCallSyntax {
  readonly name: string;
  readonly args: readonly Expression[];
  readonly distinct: boolean;
  /** `count(*)` */
  readonly star: boolean;
  /** Where the call was written, for errors. */
  readonly origin?: SqlOrigin;
}

/** Spark's `datetimeUnit` keywords of timestampadd/timestampdiff (and their dateadd/datediff forms). */
const DATETIME_UNITS = new Set(["YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DAYOFYEAR", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"]);
const UNIT_FORMS: Record<string, string> = {
  timestampadd: "timestampadd", dateadd: "timestampadd", date_add: "timestampadd",
  timestampdiff: "timestampdiff", datediff: "timestampdiff", date_diff: "timestampdiff",
};

/** The unit word of `dateadd(HOUR, -1, ts)` (written as a name, not a string), or undefined. */
function unitWord(e: Expression | undefined): string | undefined {
  if (e === undefined || e.kind !== "ColumnRef" || e.qualifier !== null) return undefined;
  const upper = e.name.toUpperCase();
  return DATETIME_UNITS.has(upper) ? upper : undefined;
}

/** `extract(field FROM source)`. */
export function extractCall(name: string, args: readonly Expression[], source: Expression): Expression {
  if (name.toLowerCase() !== "extract" || args.length !== 1) {
    throw new AnalysisError(`[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM': only extract(field FROM source) takes FROM in its arguments.`);
  }
  const field = args[0]!;
  const text = field.kind === "ColumnRef" ? field.name : field.kind === "Literal" && typeof field.value === "string" ? field.value : undefined;
  if (text === undefined) throw new AnalysisError("extract(field FROM source): the field must be a name such as HOUR or YEAR");
  return Call.create("extract", [Literal.create(text.toUpperCase(), null), source]);
}

/**
 * Spark 3.5 knows percentile_cont and percentile_disc only as `name(p) WITHIN GROUP (ORDER BY x)`
 * (its grammar's `percentile` rule, within-group.ts): called as plain functions they are no
 * function of its registry, [UNRESOLVED_ROUTINE] (Spark 4 registers them to ask for WITHIN GROUP).
 */
const WITHIN_GROUP_ONLY = new Set(["percentile_cont", "percentile_disc"]);

export function functionCall({ name, args, distinct, star, origin }: FunctionCallSyntax): Expression {
  const lower = name.toLowerCase();
  if (WITHIN_GROUP_ONLY.has(lower)) throw unresolvedRoutineError(name, origin);
  const unitForm = UNIT_FORMS[lower];
  if (unitForm !== undefined && args.length === 3) {
    const unit = unitWord(args[0]);
    if (unit === undefined) {
      throw new AnalysisError(`[INVALID_PARAMETER_VALUE.DATETIME_UNIT] The value of parameter(s) \`unit\` in \`${lower}\` is invalid: expects one of the units without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, but got the string literal ${args[0]!.kind === "Literal" ? `'${String(args[0].value)}'` : "an expression"}.`);
    }
    return Call.create(unitForm, [Literal.create(unit, null), args[1]!, args[2]!]);
  }
  if (lower === "window") return windowCall(args);
  if (lower === "session_window") return sessionWindowCall(args);
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
  if (lower === "decode" && args.length >= 3 && !distinct && !star) return decodeCase(args);
  const cast = castFunction(lower, args);
  if (cast !== null) return cast;
  // struct(*): a struct of every input column, expanded with the projection's stars (plan-builder.ts).
  if (star && !distinct && lower === "struct") return Call.create("struct", [Star.create()]);
  const known = lower === "grouping" || lower === "grouping_id" || lookupWindowFunction(lower) !== undefined || generatorOf(lower) !== undefined || lookupFunction(lower) !== undefined;
  // A misspelt name is named as such before what its arguments would mean (coutn(*)).
  if (!known) throw unresolvedRoutineError(name, origin);
  if (distinct || star) throw new AnalysisError(`${name}(${star ? "*" : "DISTINCT …"}) is only allowed for aggregate functions`);
  // grouping(a), grouping_id(…): answered per grouping set (plan/grouping-sets.ts).
  if (lower === "grouping" || lower === "grouping_id") return Call.create(lower, args);
  // row_number(), lag(x)…: checked against the OVER clause when resolved.
  if (lookupWindowFunction(lower)) return Call.create(lower, args);
  // explode(…), json_tuple(…)…: planned as a Generate by the SELECT list (plan/generate.ts).
  if (generatorOf(lower)) return Call.create(lower, args);
  // round(x) rounds to 0 places, as functions.round's default scale.
  if (lower === "round" && args.length === 1) return Call.create("round", [args[0]!, Literal.create(0, null)]);
  return Call.create(lower, args);
}

function durationArg(e: Expression | undefined, what: string): string | undefined {
  if (e === undefined) return undefined;
  if (e.kind === "Literal" && typeof e.value === "string") return e.value;
  const interval = intervalDurationText(e);
  if (interval !== undefined) return interval;
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

/** session_window(time, gapDuration): the gap a string literal, or an expression giving each row's gap. */
export function sessionWindowCall(args: readonly Expression[]): Expression {
  if (args.length !== 2) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`session_window\` requires 2 parameters but the actual number is ${args.length}.`);
  return sessionWindow(args[0]!, args[1]!);
}

/**
 * `decode(expr, search1, result1, …, [default])` (Spark 3.2+, Oracle's DECODE): the result of
 * the first search equal to expr, null-safe (a null search matches a null expr), as Spark's
 * Decode rewrites it to CASE WHEN expr <=> search …; without a default, a STRING null.
 * `decode(bin, charset)` is the charset function.
 */
function decodeCase(args: readonly Expression[]): Expression {
  const [input, ...rest] = args;
  const branches: (readonly [Expression, Expression])[] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) branches.push([Call.create("eqnullsafe", [input!, rest[i]!]), rest[i + 1]!]);
  const otherwise = rest.length % 2 === 1 ? rest[rest.length - 1]! : Literal.create(null, StringType);
  return withWrittenName(Case.create(branches, otherwise), `decode(${args.map(displayExpression).join(", ")})`);
}
