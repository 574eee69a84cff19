import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import type { SourceProvider } from "../source.ts";
import { createJdbcSourceProvider } from "../jdbc/jdbc-source.ts";
import { fileFormatOf } from "./file-format.ts";
import { createFileSourceProvider } from "./file-source.ts";
import { createFlumePollingSourceProvider } from "../../flume/source/flume-polling-source.ts";
import { createFlumeSourceProvider } from "../../flume/source/flume-source.ts";
import { createNatsSourceProvider } from "../nats/nats-source.ts";
import { createRedisSourceProvider } from "../redis/redis-source.ts";
import { createRateSourceProvider } from "./rate-source.ts";
import { createSocketSourceProvider } from "./socket-source.ts";
import { SourceOptions } from "./source-options.ts";
import { requireStreamingSchema, type SourceConf } from "./streaming-schema-inference.ts";
import { shortFormatName } from "../format-names.ts";

export const SOURCE_FORMATS = ["json", "csv", "text", "parquet", "socket", "rate", "jdbc", "flume", "flume-polling", "nats", "redis"] as const;

/**
 * The source behind `spark.read` / `spark.readStream` `.format(format).load(paths)`.
 * File formats check their paths and fix their schema (given or inferred) here; `conf`, the
 * session's settings, says whether a file stream may infer it (spark.sql.streaming.schemaInference).
 */
export function resolveSourceProvider(
  format: string,
  options: Record<string, string>,
  paths: string[],
  userSchema: StructType | null,
  bounded: boolean,
  conf?: SourceConf,
): SourceProvider {
  const name = shortFormatName(format);
  const opts = new SourceOptions(name, options);
  const allPaths = opts.has("path") && paths.length === 0 ? [opts.get("path")!] : paths;
  switch (name) {
    case "json":
    case "csv":
    case "text":
    case "parquet":
      // One place for every way to a file stream: readStream…load(), STREAM(t), SQL on files.
      if (!bounded && userSchema === null && name !== "text") requireStreamingSchema(name, allPaths, conf);
      return createFileSourceProvider(fileFormatOf(name, opts), opts, allPaths, userSchema, bounded);
    case "socket":
      return noBatch(createSocketSourceProvider(opts), bounded);
    case "rate":
      return noBatch(createRateSourceProvider(opts), bounded);
    case "flume":
      return noBatch(createFlumeSourceProvider(opts), bounded);
    case "flume-polling":
      return noBatch(createFlumePollingSourceProvider(opts), bounded);
    case "nats":
      return noBatch(createNatsSourceProvider(opts), bounded);
    case "redis":
      return noBatch(createRedisSourceProvider(opts), bounded);
    case "jdbc":
      return createJdbcSourceProvider(options, userSchema, bounded);
    default:
      throw new ConnectorError(`Failed to find data source: ${format}. Known source formats: ${SOURCE_FORMATS.join(", ")}`);
  }
}

function noBatch(provider: SourceProvider, bounded: boolean): SourceProvider {
  if (bounded) throw new ConnectorError(`Data source ${provider.format} does not support batch reads; use spark.readStream`);
  return provider;
}

export { RATE_SCHEMA, RateSchedule } from "./rate-source.ts";
export type { ParseMode } from "./parse-mode.ts";
