import { AnalysisError } from "../common/errors.ts";
import { nameParts } from "../common/identifiers.ts";
import { atOrigin, type SqlOrigin } from "./origin.ts";

/** Spark's toSQLId: every part backquoted (`t`.`a`). */
export function sqlId(parts: readonly string[]): string {
  return parts.map((p) => "`" + p.replace(/`/g, "``") + "`").join(".");
}

/** Plain Levenshtein distance (case-sensitive), as Spark orders its suggestions by. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates as Spark proposes them (StringUtils.orderSuggestedIdentifiersBySimilarity):
 * qualifiers dropped when they are all alike, then the closest names to what was written first.
 */
export function orderSuggestions(written: string, candidates: readonly (readonly string[])[]): string[] {
  const distinct = (f: (c: readonly string[]) => readonly string[]): boolean => new Set(candidates.map((c) => JSON.stringify(f(c)))).size === 1;
  const writtenParts = nameParts(written).length;
  const stripped = writtenParts === 1 && distinct((c) => c.slice(0, -1)) ? candidates.map((c) => c.slice(-1))
    : writtenParts <= 2 && distinct((c) => c.slice(0, -2)) ? candidates.map((c) => c.slice(-2))
    : candidates;
  return stripped.map(sqlId)
    .map((id, i) => ({ id, i, d: levenshtein(id, written) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.id);
}

/**
 * Spark's UNRESOLVED_COLUMN: WITH_SUGGESTION lists up to five of the visible columns, closest
 * first; WITHOUT_SUGGESTION when nothing is visible. `origin` adds where the name was written.
 */
export function unresolvedColumnError(written: string, candidates: readonly (readonly string[])[], origin?: SqlOrigin): AnalysisError {
  const objectName = sqlId(nameParts(written));
  const proposals = orderSuggestions(written, candidates).slice(0, 5);
  const errorClass = proposals.length === 0 ? "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION" : "UNRESOLVED_COLUMN.WITH_SUGGESTION";
  const proposal = proposals.join(", ");
  const suggestion = proposals.length === 0 ? "" : ` Did you mean one of the following? [${proposal}].`;
  const sqlState = "42703";
  return new AnalysisError(
    `[${errorClass}] A column, variable, or function parameter with name ${objectName} cannot be resolved.${suggestion} SQLSTATE: ${sqlState}${atOrigin(origin)}`,
    { errorClass, sqlState, messageParameters: proposals.length === 0 ? { objectName } : { objectName, proposal } },
  );
}
