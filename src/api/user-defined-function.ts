import { Call } from "../expr/expression.ts";
import { registerUdf, registerUdfForSql, type UdfDefinition } from "../expr/functions/user-defined-function.ts";
import { parseDataType } from "../types/ddl.ts";
import type { DataType } from "../types/data-types.ts";
import { Column, colExpr } from "./column.ts";
import type { ColOrName } from "./functions.ts";

/**
 * Spark's UserDefinedFunction: call it with columns to get a Column (`slug(col("title"))`).
 * The function sees each row's values as `collect()` returns them (Date, number, bigint,
 * Decimal, objects for structs, arrays, Maps) and null for null; what it returns is
 * converted to `returnType`. It runs in the local session's thread (never in worker threads,
 * never on a Spark Connect server).
 */
export interface UserDefinedFunction {
  (...cols: ColOrName[]): Column;
  /** The name SQL calls and column names show; null until `withName` or `spark.udf.register`. */
  readonly udfName: string | null;
  readonly returnType: DataType;
  readonly deterministic: boolean;
  /** The same function under a name (`name(x)` in column names, as Spark's withName). */
  withName(name: string): UserDefinedFunction;
  /** Marks it nondeterministic: the optimizer neither folds nor moves its calls (Spark's asNondeterministic). */
  asNondeterministic(): UserDefinedFunction;
}

/** A JavaScript function a UDF wraps: any parameters (the columns' values), one result. */
export type UdfFunction = (...args: any[]) => unknown;

/** A DDL type name (`"string"`, `"array<int>"`, `"struct<a: int>"`) or a DataType. */
export type ReturnTypeLike = DataType | string;

export function returnTypeOf(t: ReturnTypeLike): DataType {
  return typeof t === "string" ? parseDataType(t) : t;
}

/** Builds the callable UDF; registers it so that calls resolve by name. */
export function makeUdf(fn: UdfFunction, returnType: DataType, name: string | null, deterministic: boolean): UserDefinedFunction {
  const definition: UdfDefinition = { name, fn, returnType, deterministic };
  const callName = registerUdf(definition);
  const call = (...cols: ColOrName[]): Column => new Column(Call.create(callName, cols.map((c) => colExpr(c))));
  const made: UserDefinedFunction = Object.assign(call, {
    udfName: name,
    returnType,
    deterministic,
    withName: (newName: string) => makeUdf(fn, returnType, newName, deterministic),
    asNondeterministic: () => makeUdf(fn, returnType, name, false),
  });
  definitions.set(made, definition);
  return made;
}

/** Each UDF's definition, for `spark.udf.register(name, aUdf)`. */
const definitions = new WeakMap<UserDefinedFunction, UdfDefinition>();

/**
 * Spark's `udf(f, returnType)` (PySpark's default return type, STRING, when omitted):
 * `const slug = udf((s: string | null) => s?.toLowerCase() ?? null, "string"); df.select(slug(col("title")))`.
 */
export function udf(fn: UdfFunction, returnType: ReturnTypeLike = "string"): UserDefinedFunction {
  return makeUdf(fn, returnTypeOf(returnType), null, true);
}

/** `spark.udf`: registers functions that SQL calls by name (Spark's UDFRegistration). */
export class UDFRegistration {
  constructor(readonly requireLocal: () => void) {}

  /**
   * `spark.udf.register("slug", (s) => …, "string")`, or an existing UDF under a name
   * (`spark.udf.register("slug", slugUdf)`). Returns the named UDF. Names registered for SQL
   * are the process's (every local session sees them) and shadow built-ins of the same name;
   * `udf(…).withName(n)` only names a UDF's calls and registers nothing.
   */
  register(name: string, f: UdfFunction | UserDefinedFunction, returnType?: ReturnTypeLike): UserDefinedFunction {
    this.requireLocal();
    if (isUdf(f) && returnType !== undefined) throw new TypeError("spark.udf.register: a UserDefinedFunction already has its return type; pass a plain function to give one");
    const named = isUdf(f) ? f.withName(name) : makeUdf(f, returnTypeOf(returnType ?? "string"), name, true);
    registerUdfForSql(name, definitions.get(named)!);
    return named;
  }
}

function isUdf(f: UdfFunction | UserDefinedFunction): f is UserDefinedFunction {
  return typeof (f as UserDefinedFunction).withName === "function" && "returnType" in f;
}
