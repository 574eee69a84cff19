import type { DataType } from "../../types/data-types.ts";
import { Literal } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg, stringKernel } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** A function with a fixed signature: argument types (Spark's implicit casts apply), trailing defaults, one result type. */
export interface FunctionSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly types: readonly DataType[];
  /** Values of the last `defaults.length` arguments when omitted. */
  readonly defaults?: readonly unknown[];
  readonly result: DataType;
  /** The value of one row; the first argument separately (it is the string of string functions). Null arguments never reach it unless `nullIntolerant` is false. */
  readonly f: (first: any, rest: any[]) => unknown;
  readonly nullIntolerant?: boolean;
  readonly deterministic?: boolean;
  readonly display?: (args: readonly string[]) => string;
}

/**
 * A ScalarFunction from a signature and a row function. When the first argument is a
 * string and the others constants, the function runs once per dictionary entry.
 */
export function defineFunction(spec: FunctionSpec): ScalarFunction {
  const { name, types, result, f } = spec;
  const defaults = spec.defaults ?? [];
  const nullIntolerant = spec.nullIntolerant ?? true;
  return {
    name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    ...(spec.deterministic === false ? { deterministic: false } : {}),
    ...(spec.display ? { display: spec.display } : {}),
    nullIntolerant,
    resolve(args) {
      const required = types.length - defaults.length;
      checkArity(name, args, required, types.length);
      const full = [...args, ...defaults.slice(args.length - required).map((v, k) => Literal.create(v, types[args.length + k]!))];
      return { args: full.map((_, k) => coerceArg(name, full, k, types[k]!)), dataType: result };
    },
    evaluate(vecs, n, _ctx, call) {
      if (nullIntolerant && types[0]?.kind === "string") return stringKernel(vecs, n, call, f);
      return mapRows(vecs, n, result, (vals) => f(vals[0], vals.slice(1)), nullIntolerant);
    },
  };
}
