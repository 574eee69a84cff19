import type { CstNode } from "chevrotain";
import { AnalysisError } from "../common/errors.ts";
import {
  AggregateCall, Call, Literal, WindowExpression, type Expression, type SortOrder, type WindowFrame,
} from "../expr/expression.ts";
import { displayExpression } from "../expr/display.ts";
import { typeName, type DataType } from "../types/data-types.ts";
import { has, node, nodes, type Children } from "./cst.ts";

/** A window specification as written: `(PARTITION BY … ORDER BY … frame)`, before resolution. */
export interface WindowSpecParts {
  readonly partitionBy: readonly Expression[];
  readonly orderBy: readonly SortOrder[];
  readonly frame: WindowFrame | null;
}

/** What the window syntax needs from the expression builder. */
export interface WindowSyntax {
  build(n: CstNode): Expression;
  identifierText(n: CstNode): string;
}

/** Named windows of the enclosing SELECT (`WINDOW w AS (…)`), by lower-case name. */
export type NamedWindows = ReadonlyMap<string, WindowSpecParts>;

/** windowSpec := identifier | '(' (identifier | windowDefinition) ')' */
export function windowSpecParts(spec: CstNode, syntax: WindowSyntax, named: NamedWindows): WindowSpecParts {
  const def = node(spec.children, "windowDefinition")?.children;
  const ref = node(spec.children, "identifier") ?? (def === undefined ? undefined : node(def, "reference"));
  if (ref !== undefined) {
    const name = syntax.identifierText(ref);
    const found = named.get(name.toLowerCase());
    if (found === undefined) throw new AnalysisError(`Window specification ${name} is not defined in the WINDOW clause.`);
    return found;
  }
  if (def === undefined) throw new AnalysisError("a window specification needs a definition");
  const frame = node(def, "windowFrame");
  return {
    partitionBy: nodes(def, "expression").map((n) => syntax.build(n)),
    orderBy: nodes(def, "sortItem").map((n) => syntax.build(n) as SortOrder),
    frame: frame === undefined ? null : frameOf(frame.children, syntax),
  };
}

/** windowFrame := (ROWS | RANGE) (BETWEEN frameBound AND frameBound | frameBound) */
function frameOf(ctx: Children, syntax: WindowSyntax): WindowFrame {
  const frameType = has(ctx, "ROWS") ? "rows" : "range";
  const lower = boundOf(node(ctx, "lower")!.children, syntax);
  const upper = has(ctx, "upper") ? boundOf(node(ctx, "upper")!.children, syntax) : CURRENT_ROW;
  if (lower.value === Infinity) throw new AnalysisError("[INVALID_BOUNDARY.START] The boundary UNBOUNDED FOLLOWING cannot start a window frame.");
  if (upper.value === -Infinity) throw new AnalysisError("[INVALID_BOUNDARY.END] The boundary UNBOUNDED PRECEDING cannot end a window frame.");
  if (lower.type !== null && upper.type !== null && lower.type.kind !== upper.type.kind) {
    throw new AnalysisError(`[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_DIFF_TYPES] Window frame bounds "${lower.text}" and "${upper.text}" do not have the same type: "${typeName(lower.type).toUpperCase()}" <> "${typeName(upper.type).toUpperCase()}".`);
  }
  for (const b of [lower, upper]) {
    if (frameType === "rows" && Number.isFinite(b.value) && !Number.isInteger(b.value)) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] The data type of the boundary "${b.text}" does not match the expected data type "INT".`);
    }
  }
  const offsetType = lower.type ?? upper.type;
  return offsetType === null ? { frameType, lower: lower.value, upper: upper.value } : { frameType, lower: lower.value, upper: upper.value, offsetType };
}

/** A frame bound: its signed offset, and the interval type it was written with (null for a number or a special bound). */
interface Bound {
  readonly value: number;
  readonly type: DataType | null;
  readonly text: string;
}

const CURRENT_ROW: Bound = { value: 0, type: null, text: "CURRENT ROW" };

/** frameBound := UNBOUNDED (PRECEDING | FOLLOWING) | CURRENT ROW | value (PRECEDING | FOLLOWING) */
function boundOf(ctx: Children, syntax: WindowSyntax): Bound {
  const preceding = has(ctx, "PRECEDING");
  if (has(ctx, "UNBOUNDED")) return { value: preceding ? -Infinity : Infinity, type: null, text: "UNBOUNDED" };
  if (has(ctx, "CURRENT")) return CURRENT_ROW;
  const e = syntax.build(node(ctx, "additive")!);
  const value = boundValue(e);
  const type = e.kind === "Literal" && (e.dataType?.kind === "interval_ym" || e.dataType?.kind === "interval_dt") ? e.dataType : null;
  return { value: preceding ? -value : value, type, text: displayExpression(e) };
}

/** A frame offset: a number, or an INTERVAL: months for a year-month one, µs for a day-time one. */
function boundValue(e: Expression): number {
  if (e.kind === "Literal" && (e.dataType?.kind === "interval_dt" || e.dataType?.kind === "interval_ym") && e.value !== null) return Number(e.value);
  if (e.kind === "Literal" && typeof e.value === "number") return e.value;
  // A DECIMAL bound (0.2 PRECEDING): its value; WindowFrameCoercion casts it to the ORDER BY type at run time.
  if (e.kind === "Literal" && e.dataType?.kind === "decimal" && typeof e.value === "bigint") return Number(e.value) / 10 ** e.dataType.scale;
  if (e.kind === "Call" && e.name === "negative" && e.args.length === 1) return -boundValue(e.args[0]!);
  throw new AnalysisError("[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WITHOUT_FOLDABLE] Window frame boundary must be a constant number or INTERVAL.");
}

/** `IGNORE NULLS` after a call: the flag argument of lag/lead/nth_value/first/last. */
export function withIgnoreNulls(fn: Expression): Expression {
  const flag = Literal.create(true, null);
  if (fn.kind === "AggregateCall" && ["first", "last", "first_value", "last_value", "any_value"].includes(fn.name)) {
    return AggregateCall.create(fn.name, [fn.args[0]!, flag], fn.distinct);
  }
  if (fn.kind === "Call" && (fn.name === "lag" || fn.name === "lead")) {
    const [input, offset, fallback] = fn.args;
    return Call.create(fn.name, [input!, offset ?? Literal.create(1, null), fallback ?? Literal.create(null, null), flag]);
  }
  if (fn.kind === "Call" && fn.name === "nth_value") return Call.create(fn.name, [fn.args[0]!, fn.args[1]!, flag]);
  throw new AnalysisError(`[INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX] The function ${fn.kind === "Call" || fn.kind === "AggregateCall" ? fn.name : ""} does not support IGNORE NULLS.`);
}

export function overWindow(fn: Expression, spec: WindowSpecParts): WindowExpression {
  return WindowExpression.create(fn, spec.partitionBy, spec.orderBy, spec.frame);
}
