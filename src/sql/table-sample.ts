import { AnalysisError } from "../common/errors.ts";
import { ParseErrorAt } from "./parse-error-at.ts";
import type { Expression } from "../expr/expression.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { ROUNDING_EPSILON, sampleRange } from "../plan/sample.ts";
import { firstToken, has, node, token, type Children } from "./cst.ts";
import { limitLikeValue } from "./limit-value.ts";

/**
 * `t TABLESAMPLE (…)`, as Spark's AstBuilder.withSample: `n ROWS` is a LIMIT; `x PERCENT` and
 * `BUCKET x OUT OF y` sample a fraction of the rows (Spark's Sample, see sampleRange) with the
 * seed of REPEATABLE (n), else a random one (0–999, as Spark).
 */
export function tableSample(ctx: Children, input: LogicalPlan, expression: (n: import("chevrotain").CstNode) => Expression): LogicalPlan {
  const at = firstToken({ name: "sampleClause", children: ctx })!;
  const fail = (message: string): never => { throw new ParseErrorAt(at, message); };
  const seedToken = token(ctx, "seed");
  const seed = seedToken !== undefined ? BigInt(seedToken.image) : BigInt(Math.floor(Math.random() * 1000));
  const sample = (fraction: number): LogicalPlan => {
    if (!(fraction >= 0 - ROUNDING_EPSILON && fraction <= 1 + ROUNDING_EPSILON)) fail(`[_LEGACY_ERROR_TEMP_0064] Sampling fraction (${fraction}) must be on interval [0, 1]`);
    return sampleRange(input, 0, fraction, seed);
  };
  const percentage = token(ctx, "percentage");
  if (percentage !== undefined) return sample((has(ctx, "Minus") ? -1 : 1) * Number(percentage.image.replace(/[dDfF]$|[bB][dD]$/, "")) / 100);
  const numerator = token(ctx, "numerator");
  if (numerator !== undefined) {
    if (has(ctx, "bucketOn")) fail(`[_LEGACY_ERROR_TEMP_0015] TABLESAMPLE(${has(ctx, "onFunction") ? "BUCKET x OUT OF y ON function" : "BUCKET x OUT OF y ON colname"}) is not supported.`);
    return sample(Number(numerator.image) / Number(token(ctx, "denominator")!.image));
  }
  const e = node(ctx, "expression");
  if (e === undefined) fail("[_LEGACY_ERROR_TEMP_0014] TABLESAMPLE does not accept empty inputs.");
  const value = expression(e!);
  if (has(ctx, "ROWS")) return build.limit(input, limitLikeValue("limit", value));
  if (value.kind === "ColumnRef" && /^\d+[bBkKmMgG]$/.test(value.name)) fail("[_LEGACY_ERROR_TEMP_0015] TABLESAMPLE(byteLengthLiteral) is not supported.");
  throw new AnalysisError("TABLESAMPLE takes `n ROWS`, `x PERCENT` or `BUCKET x OUT OF y`");
}
