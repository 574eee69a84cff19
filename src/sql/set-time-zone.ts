import type { CstNode } from "chevrotain";
import { AnalysisError } from "../common/errors.ts";
import { fixedOffset, zoneRules } from "../common/time-zone.ts";
import type { Expression } from "../expr/expression.ts";
import { node, token, type Children } from "./cst.ts";
import { unquoteString } from "./literals.ts";

const MICROS_PER_MINUTE = 60_000_000;

/** The system's zone, for SET TIME ZONE LOCAL (Java's ZoneId.systemDefault()). */
export function systemTimeZone(): string {
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The zone ID that `SET TIME ZONE ('zone' | LOCAL | INTERVAL …)` sets spark.sql.session.timeZone
 * to, checked as Spark checks it (an interval offset must be whole minutes within ±18 hours).
 */
export function setTimeZoneValue(ctx: Children, buildExpression: (n: CstNode) => Expression): string {
  if (token(ctx, "timeWord")!.image.toUpperCase() !== "TIME" || token(ctx, "zoneWord")!.image.toUpperCase() !== "ZONE") {
    throw new AnalysisError("expected SET TIME ZONE");
  }
  const id = token(ctx, "zoneId");
  if (id !== undefined) {
    const zone = unquoteString(id.image);
    zoneRules(zone);
    return zone;
  }
  const word = token(ctx, "zoneWord2");
  if (word !== undefined) {
    if (word.image.toUpperCase() !== "LOCAL") throw new AnalysisError(`[INVALID_SQL_SYNTAX] Invalid SQL syntax: SET TIME ZONE takes a zone ID string, LOCAL or an INTERVAL, not ${word.image}.`);
    return systemTimeZone();
  }
  const literal = buildExpression(node(ctx, "intervalLiteral")!);
  const micros = literal.kind === "Literal" && literal.dataType?.kind === "interval_dt" ? (literal.value as number) : NaN;
  if (!Number.isFinite(micros) || micros % MICROS_PER_MINUTE !== 0 || Math.abs(micros) > 18 * 60 * MICROS_PER_MINUTE) {
    throw new AnalysisError("[INVALID_INTERVAL_FORMAT.INVALID_TIME_ZONE_INTERVAL] The interval value must be in the range of [-18, +18] hours with second precision.");
  }
  return fixedOffset(micros / MICROS_PER_MINUTE).id;
}
