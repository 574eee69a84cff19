import { AnalysisError } from "../common/errors.ts";
import { didYouMean } from "../common/suggest.ts";
import { callableFunctionNames } from "./functions/callable-names.ts";
import { atOrigin, type SqlOrigin } from "./origin.ts";
import { sqlId } from "./unresolved-column.ts";

const SEARCH_PATH = "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]";

/**
 * Spark's UNRESOLVED_ROUTINE for a call of a function that does not exist; rivulet adds the
 * closest function name, which Spark does not. `origin` adds where the call was written.
 */
export function unresolvedRoutineError(name: string, origin?: SqlOrigin): AnalysisError {
  const routineName = sqlId([name]);
  const sqlState = "42883";
  return new AnalysisError(
    `[UNRESOLVED_ROUTINE] Cannot resolve routine ${routineName} on search path ${SEARCH_PATH}.${didYouMean(name.toLowerCase(), callableFunctionNames())} SQLSTATE: ${sqlState}${atOrigin(origin)}`,
    { errorClass: "UNRESOLVED_ROUTINE", sqlState, messageParameters: { routineName, searchPath: SEARCH_PATH } },
  );
}
