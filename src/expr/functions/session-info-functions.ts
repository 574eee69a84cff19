import { userInfo } from "node:os";
import { StringType } from "../../types/data-types.ts";
import { constantVec } from "../vec-ops.ts";
import { checkArity } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * current_database/current_schema, current_catalog, current_user/user and version: rivulet
 * has one catalog (`spark_catalog`) with one database (`default`), as a fresh Spark session.
 */

/** The Spark release whose semantics rivulet follows, and this package (Spark prints "<version> <git revision>"). */
export const SPARK_VERSION = "3.5.0";
const RIVULET_REVISION = "rivulet-0.1.0";

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env["USER"] ?? "";
  }
}

function constantFunction(name: string, value: () => string, aliases: readonly string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    resolve(args) {
      checkArity(name, args, 0);
      return { args, dataType: StringType };
    },
    evaluate: (_vecs, n) => constantVec(value(), StringType, n),
  };
}

export const sessionInfoFunctions: ScalarFunction[] = [
  constantFunction("current_database", () => "default"),
  constantFunction("current_schema", () => "default"),
  constantFunction("current_catalog", () => "spark_catalog"),
  constantFunction("current_user", currentUser),
  constantFunction("user", currentUser),
  constantFunction("version", () => `${SPARK_VERSION} ${RIVULET_REVISION}`),
];
