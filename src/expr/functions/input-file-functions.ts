import { LongType, StringType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { AnalysisError } from "../../common/errors.ts";
import { constantVec, mapStrings } from "../vec-ops.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * input_file_name(), input_file_block_start(), input_file_block_length(). Written with no
 * argument; over a file scan the analyzer (plan/file-metadata-columns.ts) hands each the
 * `_metadata` field it reads. Without one (another source), Spark's answers: "" and -1.
 */
function inputFileFunction(name: string, missing: string | number, fromField: (v: Vec, n: number) => Vec): ScalarFunction {
  const dataType = typeof missing === "string" ? StringType : LongType;
  return {
    name,
    deterministic: false,
    nullIntolerant: false,
    display: () => `${name}()`,
    resolve(args) {
      if (args.length > 1 || (args.length === 1 && args[0]!.kind !== "GetField")) {
        throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 0 parameters but the actual number is ${args.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.`);
      }
      return { args, dataType };
    },
    evaluate: (vecs, n) => (vecs.length === 0 ? constantVec(missing, dataType, n) : fromField(vecs[0]!, n)),
  };
}

/** `file:/dir/a.json` (Spark's _metadata.file_path) as input_file_name() writes it: `file:///dir/a.json`. */
const asInputFileName = (path: string): string => (path.startsWith("file:/") && !path.startsWith("file://") ? `file://${path.slice(5)}` : path);

export const inputFileFunctions: readonly ScalarFunction[] = [
  inputFileFunction("input_file_name", "", (v, n) => (v.kind === "str" ? mapStrings(v, StringType, asInputFileName) : v)),
  inputFileFunction("input_file_block_start", -1, (v) => v),
  inputFileFunction("input_file_block_length", -1, (v) => v),
];
