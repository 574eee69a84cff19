import { AnalysisError } from "../common/errors.ts";
import { StructType } from "../types/data-types.ts";

/** PySpark's keyword form of createTable: `createTable(name, { path, source, schema, description, ...options })`. */
export interface CreateTableArgs {
  readonly path?: string;
  readonly source?: string;
  readonly schema?: StructType | string;
  readonly description?: string;
  readonly [option: string]: unknown;
}

export interface CreateTableArguments {
  readonly path?: string;
  readonly source?: string;
  readonly schema?: StructType | string;
  readonly description?: string;
  readonly options: Record<string, string>;
}

const isOptions = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !(v instanceof StructType);

/**
 * Spark's createTable overloads, after the name: (path), (path, source), (source, options),
 * (source, schema, options), (source, schema, description, options), or one keywords object.
 */
export function createTableArguments(rest: readonly unknown[], method: string): CreateTableArguments {
  const options = (o: unknown): Record<string, string> => Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const [a, b, c, d] = rest;
  if (rest.length === 1 && isOptions(a)) {
    const { path, source, schema, description, ...others } = a as CreateTableArgs;
    return { ...(path === undefined ? {} : { path }), ...(source === undefined ? {} : { source }), ...(schema === undefined ? {} : { schema }), ...(description === undefined ? {} : { description }), options: options(others) };
  }
  if (rest.length === 1 && typeof a === "string") return { path: a, options: {} };
  if (rest.length === 2 && typeof a === "string" && typeof b === "string") return { path: a, source: b, options: {} };
  if (rest.length === 2 && typeof a === "string" && isOptions(b)) return { source: a, options: options(b) };
  if (rest.length === 3 && typeof a === "string" && (typeof b === "string" || b instanceof StructType) && isOptions(c)) return { source: a, schema: b, options: options(c) };
  if (rest.length === 4 && typeof a === "string" && (typeof b === "string" || b instanceof StructType) && typeof c === "string" && isOptions(d)) {
    return { source: a, schema: b, description: c, options: options(d) };
  }
  throw new AnalysisError(`${method}(tableName, …): expected (path), (path, source), (source, options), (source, schema, options), (source, schema, description, options) or one object of keywords ({ path, source, schema, description, …options })`);
}
