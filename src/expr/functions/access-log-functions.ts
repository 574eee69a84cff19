import { StringType } from "../../types/data-types.ts";
import { asStr, mapStrings } from "../vec-ops.ts";
import { ACCESS_LOG_TYPE, parseAccessLogFields } from "./access-log.ts";
import { checkArity, coerceArg } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** parse_access_log(line): the struct of an Apache combined-log line's fields; null when the line is not one. */
const parseAccessLog: ScalarFunction = {
  name: "parse_access_log",
  resolve(args) {
    checkArity("parse_access_log", args, 1);
    return { args: [coerceArg("parse_access_log", args, 0, StringType)], dataType: ACCESS_LOG_TYPE };
  },
  evaluate: ([line]) => mapStrings(asStr(line!), ACCESS_LOG_TYPE, (s) => parseAccessLogFields(s)),
};

export const accessLogFunctions: readonly ScalarFunction[] = [parseAccessLog];
