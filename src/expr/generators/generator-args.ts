import { AnalysisError } from "../../common/errors.ts";
import type { Expression } from "../expression.ts";

/** Spark's WRONG_NUM_ARGS for a generator called with the wrong number of arguments. */
export function checkGeneratorArity(call: string, args: readonly Expression[], expected: number | string, ok = args.length === expected): void {
  if (ok) return;
  throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${call}\` requires ${expected} parameters but the actual number is ${args.length}.`);
}
